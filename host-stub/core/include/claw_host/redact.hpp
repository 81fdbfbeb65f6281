// The only form in which a secret may appear in output, logs or errors.
#pragma once

#include <string>
#include <string_view>

namespace claw_host {

// "sk-…1234": a well-known type prefix (sk-, sk-sp-) that says what kind of
// key it is, "…", and the last 4 characters only if the secret is long enough
// (16+) that 4 characters are a small part of it. Shorter secrets show no
// characters at all ("…"); an empty one is "(empty)".
std::string redact(std::string_view secret);

}  // namespace claw_host
