#include "claw_host/config.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::TempDir;

namespace {

const char* kSampleConfig = R"({
  // written by hand
  "models": {
    "providers": {
      "qwen": {
        "baseUrl": "https://coding-intl.dashscope.aliyuncs.com/v1",
        "api": "openai-completions",
        "apiKey": "sk-from-config",
        "models": [ { "id": "qwen3.6-plus", "name": "mine" }, { "id": "glm-5" } ],
      },
    },
  },
  "agents": { "defaults": { "model": { "primary": "qwen/glm-5" }, "models": { "qwen/glm-5": { "alias": "glm" } } } },
  "auth": { "profiles": { "qwen:default": { "provider": "qwen", "mode": "api_key" } } },
  "gateway": { "port": 18789 }
}
)";

}  // namespace

TEST_CASE("a missing config file is an empty config", "[config]") {
  TempDir tmp;
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  CHECK(config->root().empty());
  CHECK(config->provider("qwen") == nullptr);
  CHECK_FALSE(config->primary_model());
  CHECK_FALSE(config->had_comments());
}

TEST_CASE("accessors read OpenClaw's config shape", "[config]") {
  TempDir tmp;
  test::write_file(tmp / "openclaw.json", kSampleConfig);
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  CHECK(config->had_comments());
  CHECK(config->provider_base_url("qwen") == "https://coding-intl.dashscope.aliyuncs.com/v1");
  CHECK(config->provider_api("qwen") == "openai-completions");
  CHECK(config->provider_api_key("qwen") == "sk-from-config");
  CHECK(config->provider_model_ids("qwen") == std::vector<std::string>{"qwen3.6-plus", "glm-5"});
  REQUIRE(config->provider_models("qwen") != nullptr);
  CHECK(config->primary_model() == "qwen/glm-5");
  REQUIRE(config->default_models() != nullptr);
  CHECK(config->default_models()->contains("qwen/glm-5"));
  REQUIRE(config->auth_profiles() != nullptr);
  CHECK(config->auth_profiles()->contains("qwen:default"));
  CHECK_FALSE(config->provider_base_url("modelstudio"));
}

TEST_CASE("agents.defaults.model may be a plain model ref string", "[config]") {
  auto config = Config::parse(R"({"agents": {"defaults": {"model": "qwen/qwen3.5-plus"}}})", "c.json");
  REQUIRE(config);
  CHECK(config->primary_model() == "qwen/qwen3.5-plus");
}

TEST_CASE("an empty baseUrl counts as unset", "[config]") {
  auto config = Config::parse(R"({"models": {"providers": {"qwen": {"baseUrl": "  "}}}})", "c.json");
  REQUIRE(config);
  CHECK_FALSE(config->provider_base_url("qwen"));
}

TEST_CASE("a malformed config is an error with line and column, and is never overwritten", "[config]") {
  TempDir tmp;
  const std::string broken = "{\n  \"models\": {\n    \"providers\": {,}\n  }\n}\n";
  test::write_file(tmp / "openclaw.json", broken);
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == ErrorCode::parse_error);
  CHECK_THAT(config.error().message, Catch::StartsWith((tmp / "openclaw.json").string() + ":3:19: unexpected ','"));
  CHECK_THAT(config.error().message, Catch::Contains("left unchanged"));
  CHECK(test::read_file(tmp / "openclaw.json") == broken);
}

TEST_CASE("wrong types in known keys name the JSON path and the fix", "[config]") {
  auto bad_url = Config::parse(R"({"models": {"providers": {"qwen": {"baseUrl": 42}}}})", "c.json");
  REQUIRE_FALSE(bad_url);
  CHECK(bad_url.error().code == ErrorCode::invalid_data);
  CHECK_THAT(bad_url.error().message, Catch::StartsWith("c.json: models.providers.qwen.baseUrl must be a string") &&
                                          Catch::Contains("found a number") && Catch::Contains("edit the file"));

  auto no_id =
      Config::parse(R"({"models": {"providers": {"qwen": {"models": [{"id": "a"}, {"name": "b"}]}}}})", "c.json");
  REQUIRE_FALSE(no_id);
  CHECK_THAT(no_id.error().message, Catch::Contains("models.providers.qwen.models[1] has no \"id\""));

  auto top = Config::parse("[]", "c.json");
  REQUIRE_FALSE(top);
  CHECK_THAT(top.error().message, Catch::Contains("top level must be a JSON object"));

  auto odd_key = Config::parse(R"({"models": {"providers": {"my.provider": []}}})", "c.json");
  REQUIRE_FALSE(odd_key);
  CHECK_THAT(odd_key.error().message, Catch::Contains("models.providers[\"my.provider\"] must be an object"));
}

TEST_CASE("an empty config file is an empty config", "[config]") {
  auto config = Config::parse(" \n", "c.json");
  REQUIRE(config);
  CHECK(config->root().empty());
}

TEST_CASE("save writes pretty JSON with mode 0600 and keeps unknown keys", "[config]") {
  TempDir tmp;
  auto config = Config::load(tmp / "state/openclaw.json");
  REQUIRE(config);
  config->root()["gateway"] = boost::json::object{{"port", 18789}};
  auto report = config->save();
  REQUIRE(report);
  CHECK(report->written);
  CHECK_FALSE(report->backup_file);
  CHECK(test::file_mode(tmp / "state/openclaw.json") == 0600);
  CHECK(test::read_file(tmp / "state/openclaw.json") == "{\n  \"gateway\": {\n    \"port\": 18789\n  }\n}\n");

  auto reloaded = Config::load(tmp / "state/openclaw.json");
  REQUIRE(reloaded);
  CHECK(reloaded->root() == config->root());
}

TEST_CASE("saving an unchanged config does not touch the file", "[config]") {
  TempDir tmp;
  test::write_file(tmp / "openclaw.json", "{\n  \"a\": 1\n}\n", 0600);
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  auto report = config->save();
  REQUIRE(report);
  CHECK_FALSE(report->written);
}

TEST_CASE("a commented config is backed up once before its first rewrite, with a notice", "[config]") {
  TempDir tmp;
  test::write_file(tmp / "openclaw.json", kSampleConfig);
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  config->root()["extra"] = true;
  auto first = config->save();
  REQUIRE(first);
  REQUIRE(first->backup_file);
  CHECK(*first->backup_file == tmp / "openclaw.json.bak");
  CHECK(test::read_file(tmp / "openclaw.json.bak") == kSampleConfig);
  CHECK(test::file_mode(tmp / "openclaw.json.bak") == 0600);
  REQUIRE(first->notices.size() == 1);
  CHECK_THAT(first->notices[0], Catch::Contains("comments") && Catch::Contains("openclaw.json.bak"));
  CHECK_FALSE(config->had_comments());

  // The rewritten file has no comments, so later saves leave the backup alone.
  config->root()["extra"] = false;
  auto second = config->save();
  REQUIRE(second);
  CHECK_FALSE(second->backup_file);
  CHECK(second->notices.empty());
  CHECK(test::read_file(tmp / "openclaw.json.bak") == kSampleConfig);
}

TEST_CASE("save refuses when the file was edited after it was loaded", "[config]") {
  TempDir tmp;
  test::write_file(tmp / "openclaw.json", "{}");
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  test::write_file(tmp / "openclaw.json", "{ \"edited\": \"by hand\" }");
  config->root()["onboarded"] = true;
  auto report = config->save();
  REQUIRE_FALSE(report);
  CHECK(report.error().code == ErrorCode::conflict);
  CHECK_THAT(report.error().message, Catch::Contains("changed on disk") && Catch::Contains("run the command again"));
  CHECK(test::read_file(tmp / "openclaw.json") == "{ \"edited\": \"by hand\" }");
}

TEST_CASE("save refuses to write a config it could not read back", "[config]") {
  TempDir tmp;
  Config config(tmp / "openclaw.json");
  config.root()["models"] = "oops";
  auto report = config.save();
  REQUIRE_FALSE(report);
  CHECK_THAT(report.error().message, Catch::Contains("models must be an object"));
  CHECK_FALSE(std::filesystem::exists(tmp / "openclaw.json"));
}
