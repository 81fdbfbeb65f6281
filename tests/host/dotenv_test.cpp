#include "claw_host/dotenv.hpp"

#include <catch2/catch.hpp>

#include "claw_host/environment.hpp"
#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::env_table;

TEST_CASE(".env accepts the usual forms", "[dotenv]") {
  const auto env = DotEnv::parse(
      "# keys for the gateway\r\n"
      "\r\n"
      "QWEN_API_KEY=sk-plain\r\n"
      "export MODELSTUDIO_API_KEY=sk-exported\n"
      "  SPACED  =  value with spaces   \n"
      "SINGLE='it is $HOME \\n literal'\n"
      "DOUBLE=\"line1\\nline2\\t\\\"q\\\" \\\\ end\"\n"
      "HASH=abc#def # trailing comment\n"
      "EMPTY=\n"
      "QUOTED_COMMENT=\"x\" # note\n"
      "export_not_keyword=1\n",
      ".env");
  CHECK(env.warnings().empty());
  CHECK(env.get("QWEN_API_KEY") == "sk-plain");
  CHECK(env.get("MODELSTUDIO_API_KEY") == "sk-exported");
  CHECK(env.get("SPACED") == "value with spaces");
  CHECK(env.get("SINGLE") == "it is $HOME \\n literal");
  CHECK(env.get("DOUBLE") == "line1\nline2\t\"q\" \\ end");
  CHECK(env.get("HASH") == "abc#def");
  CHECK(env.get("EMPTY") == "");
  CHECK(env.get("QUOTED_COMMENT") == "x");
  CHECK(env.get("export_not_keyword") == "1");
  CHECK_FALSE(env.get("MISSING"));
}

TEST_CASE("a double-quoted value may span lines", "[dotenv]") {
  const auto env = DotEnv::parse("PEM=\"-----BEGIN-----\r\nabc\r\n-----END-----\"\nNEXT=2\n");
  CHECK(env.warnings().empty());
  CHECK(env.get("PEM") == "-----BEGIN-----\nabc\n-----END-----");
  CHECK(env.get("NEXT") == "2");
}

TEST_CASE("the last assignment of a variable wins", "[dotenv]") {
  const auto env = DotEnv::parse("A=1\nA=2\n");
  CHECK(env.get("A") == "2");
}

TEST_CASE("malformed lines are skipped with a warning that never shows the value", "[dotenv]") {
  const auto env = DotEnv::parse(
      "sk-pasted-secret-on-its-own-line\n"
      "GOOD=1\n"
      "BROKEN=\"sk-unterminated-secret\n"
      "AFTER=2\n"
      "abcdef0123456789secret\n",
      "/home/ada/.openclaw/.env");
  CHECK(env.get("GOOD") == "1");
  CHECK(env.get("AFTER") == "2");
  CHECK_FALSE(env.get("BROKEN"));
  REQUIRE(env.warnings().size() == 3);
  CHECK_THAT(env.warnings()[0], Catch::StartsWith("/home/ada/.openclaw/.env:1: expected NAME=value"));
  CHECK_THAT(env.warnings()[1],
             Catch::StartsWith("/home/ada/.openclaw/.env:3: the value of BROKEN opens a double quote") &&
                 Catch::Contains("add the closing"));
  CHECK_THAT(env.warnings()[2], Catch::StartsWith("/home/ada/.openclaw/.env:5: expected NAME=value"));
  for (const auto& warning : env.warnings()) {
    CHECK_THAT(warning, !Catch::Contains("sk-") && !Catch::Contains("secret") && !Catch::Contains("abcdef"));
  }
}

TEST_CASE("loading: a missing .env is empty, a world-readable one draws a warning", "[dotenv]") {
  test::TempDir tmp;
  auto missing = DotEnv::load(tmp / ".env");
  REQUIRE(missing);
  CHECK(missing->values().empty());

  test::write_file(tmp / ".env", "QWEN_API_KEY=sk-x\n", 0644);
  auto loaded = DotEnv::load(tmp / ".env");
  REQUIRE(loaded);
  CHECK(loaded->get("QWEN_API_KEY") == "sk-x");
  CHECK(loaded->file() == tmp / ".env");
  REQUIRE(loaded->warnings().size() == 1);
  CHECK_THAT(loaded->warnings()[0], Catch::Contains("readable by other users") && Catch::Contains("chmod 600"));
}

TEST_CASE("lookup: the real environment first, then .env; empty counts as unset", "[dotenv][environment]") {
  struct Row {
    std::optional<std::string> real;
    std::optional<std::string> dotenv;
    std::optional<std::string> expected_value;
    std::optional<EnvSource> expected_source;
  };
  const Row rows[] = {
      {"real", "file", "real", EnvSource::process},
      {"real", std::nullopt, "real", EnvSource::process},
      {std::nullopt, "file", "file", EnvSource::dotenv},
      {"", "file", "file", EnvSource::dotenv},
      {"  ", "file", "file", EnvSource::dotenv},
      {std::nullopt, "", std::nullopt, std::nullopt},
      {std::nullopt, std::nullopt, std::nullopt, std::nullopt},
  };
  for (const auto& row : rows) {
    std::map<std::string, std::string> real;
    if (row.real) real["QWEN_API_KEY"] = *row.real;
    const std::string file = row.dotenv ? "QWEN_API_KEY=" + *row.dotenv + "\n" : "";
    Environment env(DotEnv::parse(file), env_table(real));
    auto found = env.lookup("QWEN_API_KEY");
    INFO("real=" << row.real.value_or("<unset>") << " dotenv=" << row.dotenv.value_or("<unset>"));
    REQUIRE(found.has_value() == row.expected_value.has_value());
    if (found) {
      CHECK(found->value == *row.expected_value);
      CHECK(found->source == *row.expected_source);
    }
  }
}
