// A value-or-error result for the network layer.
//
// C++20 has no std::expected, and the plugin must not use exceptions for
// expected failures (a bad URL, a refused connection): callers branch on the
// result instead. This is deliberately tiny: just what the net layer needs.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace openclaw::qwen::net {

// Tag wrapper so Result<T, E> can be built from an error even when T and E
// are the same type (e.g. both std::string).
template <class E>
struct Failure {
  E error;
};

template <class E>
Failure<std::decay_t<E>> fail(E&& error) {
  return Failure<std::decay_t<E>>{std::forward<E>(error)};
}

template <class T, class E>
class Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Failure<E> failure)  // NOLINT(google-explicit-constructor)
      : state_(std::in_place_index<1>, std::move(failure.error)) {}

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // Precondition: ok(). Accessing the wrong alternative throws
  // std::bad_variant_access, which the ABI layer catches.
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }

  // Precondition: !ok().
  E& error() & { return std::get<1>(state_); }
  const E& error() const& { return std::get<1>(state_); }
  E&& error() && { return std::get<1>(std::move(state_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> state_;
};

}  // namespace openclaw::qwen::net
