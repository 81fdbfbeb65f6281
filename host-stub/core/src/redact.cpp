#include "claw_host/redact.hpp"

namespace claw_host {

namespace {

constexpr std::size_t kMinLengthForTail = 16;
constexpr std::size_t kTailLength = 4;

}  // namespace

std::string redact(std::string_view secret) {
  if (secret.empty()) return "(empty)";
  std::string out;
  // Type prefixes are published formats (DashScope sk-, Coding Plan sk-sp-),
  // not part of the secret, and telling them apart is what doctor needs.
  for (std::string_view prefix : {std::string_view("sk-sp-"), std::string_view("sk-")}) {
    if (secret.size() > prefix.size() + kMinLengthForTail / 2 && secret.substr(0, prefix.size()) == prefix) {
      out = prefix;
      break;
    }
  }
  out += "\xE2\x80\xA6";  // "…"
  if (secret.size() >= kMinLengthForTail) {
    const auto tail = secret.substr(secret.size() - kTailLength);
    // Only plain ASCII: a tail cut through a UTF-8 sequence would be garbage.
    bool printable = true;
    for (char c : tail) printable = printable && c > 0x20 && c < 0x7f;
    if (printable) out += tail;
  }
  return out;
}

}  // namespace claw_host
