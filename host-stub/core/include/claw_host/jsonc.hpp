// JSON as people write config files: // and /* */ comments and trailing commas
// are accepted on input. A parse error says exactly where it is
// ("<file>:<line>:<column>: <what>"), because "syntax error" alone sends a
// user hunting through a 300-line file.
//
// Output is plain JSON, pretty-printed with 2-space indents and keys in their
// original order (the layout of JSON.stringify(v, null, 2), which OpenClaw
// itself writes). Comments cannot survive a rewrite: Boost.JSON does not keep
// them, which is why config.hpp backs up a commented file before replacing it.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "claw_host/result.hpp"

namespace claw_host {

// 1-based line and column; the column counts UTF-8 characters, as editors do.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

TextPosition text_position_at(std::string_view text, std::size_t byte_offset);

// Parses one JSON value (a leading UTF-8 BOM is ignored). `source_name`
// (usually the file path) starts every error message.
// Errors: ErrorCode::parse_error, "<source>:<line>:<column>: <what>; <fix>".
Result<boost::json::value> parse_jsonc(std::string_view text, std::string_view source_name);

// True if the text has a // or /* */ comment outside strings.
bool jsonc_has_comments(std::string_view text);

// Pretty JSON with a trailing newline, ready to write to a file.
std::string to_pretty_json(const boost::json::value& value);

}  // namespace claw_host
