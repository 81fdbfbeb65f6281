// <state dir>/.env: lets a daemonised gateway (launchd, systemd) see keys that
// only live in the user's interactive shell profile.
//
// Accepted syntax, one assignment per line:
//   KEY=value              unquoted: trimmed; " #" starts a comment
//   export KEY=value       the shell-compatible form
//   KEY='literal'          single quotes: no escapes at all
//   KEY="a\nb"             double quotes: \n \r \t \" \\ escapes; may span lines
//   # comment, blank lines, CRLF line ends
// A malformed line is skipped with a warning (file:line, what, how to fix) that
// names the variable but never shows its value; it never stops the host.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claw_host/result.hpp"

namespace claw_host {

class DotEnv {
 public:
  DotEnv() = default;

  // `source_name` is used in warnings (usually the file path).
  static DotEnv parse(std::string_view text, std::string_view source_name = ".env");
  // A missing file is an empty DotEnv; an unreadable one is an error.
  // Warns (without failing) if the file is readable by other users.
  static Result<DotEnv> load(const std::filesystem::path& file);

  // The value as written in the file (last assignment wins).
  std::optional<std::string> get(std::string_view key) const;
  const std::map<std::string, std::string, std::less<>>& values() const noexcept { return values_; }
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  // Where the values came from, for "from QWEN_API_KEY in <file>" messages.
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> warnings_;
  std::filesystem::path file_;
};

}  // namespace claw_host
