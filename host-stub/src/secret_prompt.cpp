#include "secret_prompt.hpp"

#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace claw_host {

std::optional<std::string> prompt_secret(const std::string& prompt) {
  if (::isatty(STDIN_FILENO) != 1) return std::nullopt;
  std::cerr << prompt << std::flush;
  termios saved{};
  const bool have_termios = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (have_termios) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (have_termios) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << '\n';
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) return std::nullopt;
  return line;
}

} // namespace claw_host
