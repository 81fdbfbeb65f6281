#include "terminal.hpp"

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

namespace claw_host {

bool is_tty(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

std::string styled(std::FILE* stream, const std::string& text, const char* sgr) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  if ((no_color != nullptr && no_color[0] != '\0') || !is_tty(stream) ||
      (term != nullptr && std::string(term) == "dumb")) {
    return text;
  }
  return std::string("\x1b[") + sgr + "m" + text + "\x1b[0m";
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string with_thousands(unsigned long long value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

} // namespace claw_host
