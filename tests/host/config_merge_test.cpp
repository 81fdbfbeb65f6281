#include "claw_host/config_merge.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "claw_host/jsonc.hpp"
#include "test_support.hpp"

using namespace claw_host;

namespace {

boost::json::object json_object(std::string_view text) {
  auto parsed = parse_jsonc(text, "test");
  REQUIRE(parsed);
  return parsed->as_object();
}

// What onboarding with a given base URL would write.
boost::json::object onboarding_patch(std::string_view base_url) {
  auto patch = json_object(R"({
    "models": { "providers": { "qwen": {
      "api": "openai-completions",
      "models": [
        { "id": "qwen3.5-plus", "name": "qwen3.5-plus", "input": ["text", "image"], "contextWindow": 1000000 },
        { "id": "glm-5", "name": "glm-5", "input": ["text"], "contextWindow": 202752 }
      ] } } },
    "agents": { "defaults": { "models": { "qwen/qwen3.5-plus": {}, "modelstudio/qwen3.5-plus": {} } } },
    "auth": { "profiles": { "qwen:default": { "provider": "qwen", "mode": "api_key" } } }
  })");
  patch["models"].as_object()["providers"].as_object()["qwen"].as_object()["baseUrl"] = base_url;
  return patch;
}

constexpr std::string_view kCodingGlobal = "https://coding-intl.dashscope.aliyuncs.com/v1";
constexpr std::string_view kStandardGlobal = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";

}  // namespace

TEST_CASE("merging into an empty config writes the whole patch", "[config_merge]") {
  Config config;
  auto report = merge_onboarding_patch(config, onboarding_patch(kCodingGlobal));
  CHECK(config.provider_base_url("qwen") == std::string(kCodingGlobal));
  CHECK(config.provider_model_ids("qwen") == std::vector<std::string>{"qwen3.5-plus", "glm-5"});
  CHECK_THAT(report.changed_paths, Catch::VectorContains(std::string("models")));
}

TEST_CASE("hand-written models stay exactly as written; new ids are appended", "[config_merge]") {
  auto config = Config::parse(R"({
    "models": { "providers": { "qwen": {
      "baseUrl": "https://coding-intl.dashscope.aliyuncs.com/v1",
      "models": [
        { "id": "qwen3.6-plus", "name": "opted in by hand" },
        { "id": "glm-5", "name": "my glm", "contextWindow": 100000, "notes": "keep me" }
      ] } } },
    "agents": { "defaults": { "model": { "primary": "qwen/glm-5" },
                              "models": { "qwen/glm-5": { "alias": "g" } } } },
    "gateway": { "port": 18789 }
  })",
                              "openclaw.json");
  REQUIRE(config);
  const auto user_glm = config->provider_models("qwen")->at(1);

  auto report = merge_onboarding_patch(*config, onboarding_patch(kCodingGlobal));

  CHECK(config->provider_model_ids("qwen") == std::vector<std::string>{"qwen3.6-plus", "glm-5", "qwen3.5-plus"});
  CHECK(config->provider_models("qwen")->at(1) == user_glm);
  CHECK(config->primary_model() == "qwen/glm-5");
  CHECK(config->default_models()->at("qwen/glm-5") == boost::json::object{{"alias", "g"}});
  CHECK(config->default_models()->contains("qwen/qwen3.5-plus"));
  CHECK(config->root().at("gateway") == boost::json::object{{"port", 18789}});
  CHECK_THAT(report.changed_paths, Catch::VectorContains(std::string("models.providers.qwen.models[id=qwen3.5-plus]")));
  CHECK_THAT(report.changed_paths, !Catch::VectorContains(std::string("models.providers.qwen.models[id=glm-5]")));
}

TEST_CASE("merging the same patch twice gives an identical document", "[config_merge]") {
  auto config = Config::parse(R"({"models": {"providers": {"qwen": {"models": [{"id": "mine"}]}}}, "x": [1, 2]})",
                              "openclaw.json");
  REQUIRE(config);
  const auto patch = onboarding_patch(kStandardGlobal);
  auto first = merge_onboarding_patch(*config, patch);
  CHECK(first.changed());
  const auto after_once = to_pretty_json(boost::json::value(config->root()));

  auto second = merge_onboarding_patch(*config, patch);
  CHECK_FALSE(second.changed());
  CHECK(to_pretty_json(boost::json::value(config->root())) == after_once);
}

TEST_CASE("re-onboarding with another auth choice moves baseUrl and keeps everything else", "[config_merge]") {
  Config config;
  merge_onboarding_patch(config, onboarding_patch(kCodingGlobal));
  config.root()["models"].as_object()["providers"].as_object()["qwen"].as_object()["models"].as_array().push_back(
      boost::json::object{{"id", "my-model"}});

  auto report = merge_onboarding_patch(config, onboarding_patch(kStandardGlobal));
  CHECK(config.provider_base_url("qwen") == std::string(kStandardGlobal));
  CHECK(report.changed_paths == std::vector<std::string>{"models.providers.qwen.baseUrl"});
  CHECK(config.provider_model_ids("qwen") == std::vector<std::string>{"qwen3.5-plus", "glm-5", "my-model"});
}

TEST_CASE("merge rules for arrays and type changes", "[config_merge]") {
  SECTION("an empty patch array changes nothing") {
    auto target = json_object(R"({"models": [{"id": "a"}]})");
    auto report = merge_json_patch(target, json_object(R"({"models": []})"));
    CHECK_FALSE(report.changed());
    CHECK(target == json_object(R"({"models": [{"id": "a"}]})"));
  }
  SECTION("arrays without ids are replaced like scalars") {
    auto target = json_object(R"({"fallbacks": ["a", "b"]})");
    auto report = merge_json_patch(target, json_object(R"({"fallbacks": ["c"]})"));
    CHECK(report.changed_paths == std::vector<std::string>{"fallbacks"});
    CHECK(target == json_object(R"({"fallbacks": ["c"]})"));
  }
  SECTION("a repeated id in the patch is added once") {
    auto target = json_object(R"({"m": [{"id": "a"}]})");
    merge_json_patch(target, json_object(R"({"m": [{"id": "b", "v": 1}, {"id": "b", "v": 2}]})"));
    CHECK(target == json_object(R"({"m": [{"id": "a"}, {"id": "b", "v": 1}]})"));
  }
  SECTION("existing entries without an id are kept") {
    auto target = json_object(R"({"m": ["note", {"id": "a"}]})");
    merge_json_patch(target, json_object(R"({"m": [{"id": "a"}, {"id": "b"}]})"));
    CHECK(target == json_object(R"({"m": ["note", {"id": "a"}, {"id": "b"}]})"));
  }
  SECTION("a value of another type is replaced by the patch's") {
    auto target = json_object(R"({"agents": {"defaults": {"model": "qwen/glm-5"}}})");
    auto report =
        merge_json_patch(target, json_object(R"({"agents": {"defaults": {"model": {"primary": "qwen/x"}}}})"));
    CHECK(report.changed_paths == std::vector<std::string>{"agents.defaults.model"});
    CHECK(target.at("agents").at("defaults").at("model").at("primary") == "qwen/x");
  }
  SECTION("keys that are not identifiers are bracketed in the report") {
    boost::json::object target;
    auto report = merge_json_patch(target, json_object(R"({"agents": {"defaults": {"models": {"qwen/glm-5": {}}}}})"));
    CHECK(report.changed_paths == std::vector<std::string>{"agents"});
    report = merge_json_patch(target, json_object(R"({"agents": {"defaults": {"models": {"qwen/kimi-k2.5": {}}}}})"));
    CHECK(report.changed_paths == std::vector<std::string>{"agents.defaults.models[\"qwen/kimi-k2.5\"]"});
  }
}

TEST_CASE("an onboarded config survives a save and reload unchanged", "[config_merge]") {
  test::TempDir tmp;
  test::write_file(tmp / "openclaw.json", "{\n  // mine\n  \"gateway\": {\"port\": 1},\n}\n");
  auto config = Config::load(tmp / "openclaw.json");
  REQUIRE(config);
  merge_onboarding_patch(*config, onboarding_patch(kCodingGlobal));
  auto saved = config->save();
  REQUIRE(saved);
  CHECK(saved->written);
  CHECK(saved->backup_file);

  auto reloaded = Config::load(tmp / "openclaw.json");
  REQUIRE(reloaded);
  CHECK_FALSE(merge_onboarding_patch(*reloaded, onboarding_patch(kCodingGlobal)).changed());
  auto again = reloaded->save();
  REQUIRE(again);
  CHECK_FALSE(again->written);
}
