// Reads a secret from the terminal without echoing it.
#pragma once

#include <optional>
#include <string>

namespace claw_host {

// nullopt when standard input is not a terminal (nothing is read then).
std::optional<std::string> prompt_secret(const std::string& prompt);

} // namespace claw_host
