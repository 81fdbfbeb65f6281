// Result<T>: how every claw_host_core function reports failure.
//
// The host library never throws across its public API (Boost.JSON allocation
// failures aside): a caller gets either a value or an Error whose message says
// what went wrong AND what to do about it, ready to print as-is. No message
// ever contains a secret; at most a redacted form (see redact.hpp).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace claw_host {

// Coarse categories so a CLI can map failures to exit codes without parsing text.
enum class ErrorCode {
  not_found,         // a file, profile or job that does not exist
  invalid_argument,  // bad input from the caller (task id, profile id, ...)
  parse_error,       // a file that is not valid JSON / .env
  invalid_data,      // valid JSON with the wrong shape or an unsupported version
  io_error,          // the operating system refused a read/write/rename/fsync
  permission,        // unsafe or unfixable file permissions
  conflict,          // the file changed under us since it was read
  timeout,           // a lock stayed busy for too long
};

struct Error {
  ErrorCode code;
  std::string message;
};

// Thrown only when a caller reads value() of a failed Result or error() of a
// successful one: a programming error, never an expected runtime condition.
class BadResultAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    check_value();
    return std::get<0>(state_);
  }
  const T& value() const& {
    check_value();
    return std::get<0>(state_);
  }
  T&& value() && {
    check_value();
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    if (has_value()) throw BadResultAccess("error() called on a successful Result");
    return std::get<1>(state_);
  }

 private:
  void check_value() const {
    if (!has_value()) throw BadResultAccess("value() called on a failed Result: " + std::get<1>(state_).message);
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (error_) throw BadResultAccess("value() called on a failed Result: " + error_->message);
  }
  const Error& error() const {
    if (!error_) throw BadResultAccess("error() called on a successful Result");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace claw_host
