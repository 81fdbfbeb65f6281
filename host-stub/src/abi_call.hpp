// Host-side helpers for calling into a plugin through the C ABI: caller-owned
// error storage, a sink that collects output, and failures as C++ values.
#pragma once

#include "claw_host/plugin_host.hpp"

#include <openclaw/provider_abi.h>

#include <string>

namespace claw_host {

// A plugin call that failed, as the host reports it.
struct CallFailure {
  oc_status code = OC_ERR_INTERNAL;
  std::string status_name; // eg "rate-limited"
  std::string message;
  std::string hint;
  std::string request_id;
  int http_status = 0;
  int retry_after_ms = -1;
};

// Storage for one call: pass error() and sink() to the ABI function, then
// read output or failure().
class AbiCall {
public:
  AbiCall();
  oc_error* error() { return &error_; }
  const oc_sink* sink() { return &sink_; }
  std::string& output() { return output_; }
  CallFailure failure(oc_status status, const RegisteredProvider& provider) const;

private:
  static int32_t OC_ABI append(void* user_data, const char* ptr, size_t len);

  oc_error error_{};
  oc_sink sink_{};
  std::string output_;
};

oc_str to_oc(std::string_view text);

} // namespace claw_host
