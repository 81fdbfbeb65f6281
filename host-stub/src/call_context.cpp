#include "call_context.hpp"

#include "abi_call.hpp"

namespace claw_host {

CallContextHolder::CallContextHolder(const HostSession::CallTarget& target, const oc_cancel_token* cancel,
                                     std::uint32_t read_timeout_ms)
    : target_(target) {
  context_.struct_size = sizeof context_;
  context_.provider_id = to_oc(target_.resolution.requested_id);
  context_.base_url = to_oc(target_.base_url);
  context_.api_key = to_oc(target_.api_key);
  context_.provider_config_json = to_oc(target_.provider_config);
  context_.ca_bundle_path = to_oc(target_.ca_bundle);
  context_.read_timeout_ms = read_timeout_ms;
  context_.cancel = cancel;
}

} // namespace claw_host
