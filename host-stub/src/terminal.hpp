// Terminal conventions: colour only on a TTY and never with NO_COLOR, and a
// plain aligned table for human output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace claw_host {

bool is_tty(std::FILE* stream);
// Wraps text in an SGR code when the stream is a colour-capable TTY.
std::string styled(std::FILE* stream, const std::string& text, const char* sgr);
inline constexpr const char* kDim = "2";
inline constexpr const char* kBold = "1";
inline constexpr const char* kRed = "31";

// Left-aligned columns separated by two spaces; the header row comes first.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

// 1000000 -> "1,000,000".
std::string with_thousands(unsigned long long value);

} // namespace claw_host
