// Builds the oc_call_context for one plugin call from what the host
// resolved (endpoint, config, key) and a cancellation token.
#pragma once

#include "host_session.hpp"

#include <openclaw/provider_abi.h>

namespace claw_host {

class CallContextHolder {
public:
  CallContextHolder(const HostSession::CallTarget& target, const oc_cancel_token* cancel,
                    std::uint32_t read_timeout_ms = 0);
  const oc_call_context* get() const { return &context_; }
  const oc_provider* provider() const { return target_.resolution.provider->table; }
  const RegisteredProvider& registered() const { return *target_.resolution.provider; }

private:
  HostSession::CallTarget target_; // owns every string the context points at
  oc_call_context context_{};
};

} // namespace claw_host
