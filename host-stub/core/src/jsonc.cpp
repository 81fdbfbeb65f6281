#include "claw_host/jsonc.hpp"

#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace claw_host {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Boost's default of 32 is tight for configs that nest provider options.
constexpr std::size_t kMaxDepth = 64;

std::string describe_byte(unsigned char c) {
  if (c == '\n' || c == '\r') return "a line break";
  if (c == '\t') return "a tab";
  char buffer[32];
  if (c < 0x20 || c == 0x7f) {
    std::snprintf(buffer, sizeof buffer, "control character U+%04X", static_cast<unsigned>(c));
  } else if (c >= 0x80) {
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X", static_cast<unsigned>(c));
  } else {
    std::snprintf(buffer, sizeof buffer, "'%c'", c);
  }
  return buffer;
}

bool ends_a_value(char c) { return c == '"' || c == '}' || c == ']' || (c >= '0' && c <= '9') || c == 'e' || c == 'l'; }
bool starts_a_value(char c) {
  return c == '"' || c == '{' || c == '[' || (c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n';
}

// The parser only says "syntax error"; the offending character and, for the
// most common slip, a guess at the cause make the message actionable.
std::string describe_syntax_error(std::string_view text, std::size_t offset) {
  const auto c = static_cast<unsigned char>(text[offset]);
  std::string what = "unexpected " + describe_byte(c);
  std::size_t before = offset;
  while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t' || text[before - 1] == '\n' ||
                        text[before - 1] == '\r')) {
    --before;
  }
  if (c == '\n' || c == '\r') {
    what += " (is a string missing its closing quote?)";
  } else if (before > 0 && before < offset && ends_a_value(text[before - 1]) && starts_a_value(static_cast<char>(c))) {
    what += " (is a comma missing before it?)";
  } else if (c == '\'') {
    what += " (JSON strings need double quotes)";
  } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
    what += " (keys and text values need double quotes)";
  }
  return what;
}

std::string describe_error(const boost::json::error_code& ec, std::string_view text, std::size_t offset) {
  if (ec == boost::json::error::incomplete) {
    return "unexpected end of file: an object, array, string or comment is not closed";
  }
  if (ec == boost::json::error::too_deep) return "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
  if (offset < text.size() && ec == boost::json::error::syntax) return describe_syntax_error(text, offset);
  return ec.message();
}

Error parse_failure(std::string_view source, std::string_view text, std::size_t offset, const std::string& what) {
  const auto pos = text_position_at(text, offset);
  return make_error(ErrorCode::parse_error, std::string(source) + ":" + std::to_string(pos.line) + ":" +
                                                std::to_string(pos.column) + ": " + what +
                                                "; fix the JSON at that position (comments and trailing commas are "
                                                "allowed)");
}

void append_number(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON has no Infinity/NaN; JSON.stringify writes null too
    out += "null";
    return;
  }
  // Shortest round-trip form ("0.7", not Boost's "7E-1"): humans read this file.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  out.append(buffer, end);
}

void append_indent(std::string& out, std::size_t depth) { out.append(depth * 2, ' '); }

void append_pretty(std::string& out, const boost::json::value& v, std::size_t depth) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& object = v.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      std::size_t i = 0;
      for (const auto& member : object) {
        append_indent(out, depth + 1);
        out += boost::json::serialize(member.key());
        out += ": ";
        append_pretty(out, member.value(), depth + 1);
        out += ++i < object.size() ? ",\n" : "\n";
      }
      append_indent(out, depth);
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      const auto& array = v.get_array();
      if (array.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      std::size_t i = 0;
      for (const auto& element : array) {
        append_indent(out, depth + 1);
        append_pretty(out, element, depth + 1);
        out += ++i < array.size() ? ",\n" : "\n";
      }
      append_indent(out, depth);
      out += ']';
      return;
    }
    case boost::json::kind::double_:
      append_number(out, v.get_double());
      return;
    default:
      out += boost::json::serialize(v);
      return;
  }
}

}  // namespace

TextPosition text_position_at(std::string_view text, std::size_t byte_offset) {
  if (byte_offset > text.size()) byte_offset = text.size();
  TextPosition pos;
  for (std::size_t i = 0; i < byte_offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // continuation bytes belong to the previous character
      ++pos.column;
    }
  }
  return pos;
}

Result<boost::json::value> parse_jsonc(std::string_view text, std::string_view source_name) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());

  boost::json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  options.max_depth = kMaxDepth;
  boost::json::stream_parser parser({}, options);

  boost::json::error_code ec;
  // write_some() stops at the first error and says how many bytes it accepted:
  // that count is the position of the mistake.
  const std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (ec) return parse_failure(source_name, text, consumed, describe_error(ec, text, consumed));
  if (!parser.done()) {
    parser.finish(ec);
    if (ec) return parse_failure(source_name, text, text.size(), describe_error(ec, text, text.size()));
  } else if (consumed < text.size()) {
    // Trailing whitespace and comments were consumed; anything else is a second value.
    return parse_failure(
        source_name, text, consumed,
        "unexpected " + describe_byte(static_cast<unsigned char>(text[consumed])) + " after the end of the JSON value");
  }
  return parser.release();
}

bool jsonc_has_comments(std::string_view text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      return true;
    }
  }
  return false;
}

std::string to_pretty_json(const boost::json::value& value) {
  std::string out;
  append_pretty(out, value, 0);
  out += '\n';
  return out;
}

}  // namespace claw_host
