// Ctrl-C as an ABI cancellation token: the first SIGINT/SIGTERM trips the
// token (the plugin stops promptly and the command exits 130); a second one
// ends the process at once.
#pragma once

#include <openclaw/provider_abi.h>

namespace claw_host {

class InterruptToken {
public:
  InterruptToken();  // installs the signal handlers
  ~InterruptToken(); // restores the previous ones
  InterruptToken(const InterruptToken&) = delete;
  InterruptToken& operator=(const InterruptToken&) = delete;

  const oc_cancel_token* token() const { return &token_; }
  bool interrupted() const;

private:
  oc_cancel_token token_{};
};

} // namespace claw_host
