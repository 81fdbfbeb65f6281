#include "abi_call.hpp"

namespace claw_host {

AbiCall::AbiCall() {
  error_.struct_size = sizeof error_;
  error_.retry_after_ms = -1;
  sink_.user_data = &output_;
  sink_.write = &AbiCall::append;
}

int32_t OC_ABI AbiCall::append(void* user_data, const char* ptr, size_t len) {
  static_cast<std::string*>(user_data)->append(ptr, len);
  return 0;
}

CallFailure AbiCall::failure(oc_status status, const RegisteredProvider& provider) const {
  CallFailure failure;
  failure.code = status;
  failure.status_name = provider.status_name(status);
  failure.message = error_.message[0] != '\0' ? std::string(error_.message)
                                              : "The plugin reported '" + failure.status_name + "'.";
  failure.hint = error_.hint;
  failure.request_id = error_.request_id;
  failure.http_status = error_.http_status;
  failure.retry_after_ms = error_.retry_after_ms;
  return failure;
}

oc_str to_oc(std::string_view text) { return oc_str{text.data(), text.size()}; }

} // namespace claw_host
