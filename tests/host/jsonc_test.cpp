#include "claw_host/jsonc.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace claw_host;

TEST_CASE("comments and trailing commas are accepted", "[jsonc]") {
  const std::string text = R"(// OpenClaw config
{
  /* providers */
  "models": { "providers": { "qwen": { "baseUrl": "https://x/v1", }, }, },
  "list": [1, 2, 3,], // trailing
}
)";
  auto parsed = parse_jsonc(text, "openclaw.json");
  REQUIRE(parsed);
  CHECK(parsed->at("models").at("providers").at("qwen").at("baseUrl") == "https://x/v1");
  CHECK(parsed->at("list").as_array().size() == 3);
  CHECK(jsonc_has_comments(text));
}

TEST_CASE("a syntax error reports file:line:column of the offending character", "[jsonc]") {
  const std::string text = "{\n  \"a\": 1\n  \"b\": 2\n}\n";
  auto parsed = parse_jsonc(text, "/home/ada/.openclaw/openclaw.json");
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == ErrorCode::parse_error);
  CHECK_THAT(
      parsed.error().message,
      Catch::StartsWith("/home/ada/.openclaw/openclaw.json:3:3: unexpected '\"' (is a comma missing before it?)"));
  CHECK_THAT(parsed.error().message, Catch::Contains("fix the JSON at that position"));
}

TEST_CASE("columns count characters, not bytes", "[jsonc]") {
  // "é" is two bytes; the stray x is the 13th character on line 2.
  const std::string text = "{\n\"name\": \"\xC3\xA9\" x}";
  auto parsed = parse_jsonc(text, "c.json");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().message, Catch::StartsWith("c.json:2:13: unexpected 'x'"));
}

TEST_CASE("an unquoted value is pointed at with a hint", "[jsonc]") {
  auto parsed = parse_jsonc("{\"api\": openai}", "c.json");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().message,
             Catch::StartsWith("c.json:1:9: unexpected 'o' (keys and text values need double quotes)"));
}

TEST_CASE("a string broken across lines is reported at the line break", "[jsonc]") {
  auto parsed = parse_jsonc("{\"a\": \"open\n}", "c.json");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().message,
             Catch::StartsWith("c.json:1:12: unexpected a line break (is a string missing its closing quote?)"));
}

TEST_CASE("a truncated document is reported at the end of the file", "[jsonc]") {
  auto parsed = parse_jsonc("{\n  \"a\": [1, 2\n", "c.json");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().message, Catch::StartsWith("c.json:3:1: unexpected end of file"));
  auto comment = parse_jsonc("{} /* never closed", "c.json");
  REQUIRE_FALSE(comment);
  CHECK_THAT(comment.error().message, Catch::Contains("comment is not closed"));
}

TEST_CASE("text after the document is an error at its position", "[jsonc]") {
  auto parsed = parse_jsonc("{}\n// fine\n}", "c.json");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().message, Catch::StartsWith("c.json:3:1: unexpected '}' after the end of the JSON value"));
}

TEST_CASE("a UTF-8 byte order mark is ignored", "[jsonc]") {
  auto parsed = parse_jsonc("\xEF\xBB\xBF{\"a\": 1}", "c.json");
  REQUIRE(parsed);
  CHECK(parsed->at("a") == 1);
}

TEST_CASE("text_position_at counts lines and characters from 1", "[jsonc]") {
  const std::string text =
      "ab\ncd\xC3\xA9"
      "f";
  CHECK(text_position_at(text, 0).line == 1);
  CHECK(text_position_at(text, 0).column == 1);
  CHECK(text_position_at(text, 3).line == 2);
  CHECK(text_position_at(text, 3).column == 1);
  CHECK(text_position_at(text, 7).column == 4);  // after c, d, é
  CHECK(text_position_at(text, 999).line == 2);
}

TEST_CASE("comment detection ignores slashes inside strings", "[jsonc]") {
  CHECK_FALSE(jsonc_has_comments(R"({"baseUrl": "https://x//y", "p": "/* no */"})"));
  CHECK_FALSE(jsonc_has_comments(R"({"q": "a\"//b"})"));
  CHECK(jsonc_has_comments("{\"a\": 1 // yes\n}"));
  CHECK(jsonc_has_comments("/* yes */ {}"));
}

TEST_CASE("pretty output uses 2-space indents, keeps key order and reads back identically", "[jsonc]") {
  auto parsed =
      parse_jsonc(R"({"z": 1, "a": {"y": [true, null, "s"], "x": {}}, "e": [], "f": 0.7, "g": -2.5e-8})", "c");
  REQUIRE(parsed);
  const std::string expected = R"({
  "z": 1,
  "a": {
    "y": [
      true,
      null,
      "s"
    ],
    "x": {}
  },
  "e": [],
  "f": 0.7,
  "g": -2.5e-08
}
)";
  CHECK(to_pretty_json(*parsed) == expected);
  auto again = parse_jsonc(to_pretty_json(*parsed), "c");
  REQUIRE(again);
  CHECK(*again == *parsed);
}

TEST_CASE("pretty output escapes strings and writes non-finite numbers as null", "[jsonc]") {
  boost::json::object o;
  o["quote\"key"] = "line\nbreak\ttab \xC3\xA9";
  o["inf"] = std::numeric_limits<double>::infinity();
  CHECK(to_pretty_json(o) == "{\n  \"quote\\\"key\": \"line\\nbreak\\ttab \xC3\xA9\",\n  \"inf\": null\n}\n");
}
