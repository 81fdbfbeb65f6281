// How a command fails: a message naming the problem, a hint naming the fix,
// and the process exit code (documented in the README).
#pragma once

#include <openclaw/provider_abi.h>

#include <stdexcept>
#include <string>

namespace claw_host {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // upstream or internal failure
  kExitUsage = 2,        // bad command line
  kExitConfig = 3,       // config, state dir or credential file problem
  kExitAuth = 4,         // no key, or the key was refused
  kExitPlugin = 5,       // no plugin/provider, or it failed to load
  kExitNetwork = 6,      // network, TLS or timeout
  kExitUnavailable = 7,  // model or capability not available on this endpoint
  kExitRateLimited = 8,  // upstream rate limit
  kExitInterrupted = 130 // cancelled by the user (Ctrl-C)
};

class CliError : public std::runtime_error {
public:
  CliError(int exit_code, std::string message, std::string hint = {})
      : std::runtime_error(std::move(message)), exit_code_(exit_code), hint_(std::move(hint)) {}
  int exit_code() const { return exit_code_; }
  const std::string& hint() const { return hint_; }

private:
  int exit_code_;
  std::string hint_;
};

// The exit code for a plugin status.
int exit_code_for(oc_status status);

} // namespace claw_host
