// The plugin's internal error and result types. Converted to oc_status +
// oc_error only at the ABI boundary (abi_entry.cpp).
#pragma once

#include <openclaw/provider_abi.h>

#include <string>
#include <utility>
#include <variant>

namespace openclaw::qwen {

struct PluginError {
  oc_status code = OC_ERR_INTERNAL;
  std::string message;    // what went wrong; never a secret
  std::string hint;       // what the user can do
  std::string request_id; // upstream request id
  int http_status = 0;
  int retry_after_ms = -1;
};

inline PluginError make_error(oc_status code, std::string message, std::string hint = {}) {
  PluginError error;
  error.code = code;
  error.message = std::move(message);
  error.hint = std::move(hint);
  return error;
}

// A value or a PluginError; the small std::expected this codebase needs.
template <class T> class Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(PluginError error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const PluginError& error() const { return std::get<1>(state_); }

private:
  std::variant<T, PluginError> state_;
};

struct Ok {};
using Status = Result<Ok>;

} // namespace openclaw::qwen
