#include "claw_host/api_key_resolver.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::env_table;
using claw_host::test::TempDir;

namespace {

// One scenario: what is stored, configured and set, and which source should win.
struct Fixture {
  TempDir tmp;
  CredentialStore store{tmp / "credentials.json"};
  Config config{tmp / "openclaw.json"};
  std::map<std::string, std::string> real_env;
  std::string dotenv_text;

  void store_key(const std::string& profile, const std::string& key) {
    REQUIRE(store.put(profile, ApiKeyCredential{profile.substr(0, profile.find(':')), key}));
  }
  void config_key(const std::string& provider, const std::string& key, const std::string& api = {}) {
    auto& root = config.root();
    if (!root.contains("models")) root["models"] = boost::json::object{{"providers", boost::json::object{}}};
    auto& entry = root["models"].as_object()["providers"].as_object()[provider];
    if (!entry.is_object()) entry = boost::json::object{};
    entry.as_object()["apiKey"] = key;
    if (!api.empty()) entry.as_object()["api"] = api;
  }
  Result<ResolvedApiKey> resolve(std::string_view provider) {
    Environment environment(DotEnv::parse(dotenv_text, (tmp / ".env").string()), env_table(real_env));
    return resolve_api_key(provider, ApiKeySources{config, store, environment});
  }
};

}  // namespace

TEST_CASE("qwen key precedence: store, then config apiKey, then env vars in order, real env before .env",
          "[api_key_resolver]") {
  struct Row {
    const char* name;
    bool stored;
    bool configured;
    std::map<std::string, std::string> real;
    std::string dotenv;
    std::string expected_key;
    std::string expected_description;
  };
  const std::vector<Row> rows = {
      {"store beats everything",
       true,
       true,
       {{"QWEN_API_KEY", "k-env"}},
       "",
       "k-store",
       "from the credential store (qwen:default)"},
      {"config beats env",
       false,
       true,
       {{"QWEN_API_KEY", "k-env"}},
       "",
       "k-config",
       "from models.providers.qwen.apiKey in "},
      {"QWEN_API_KEY first",
       false,
       false,
       {{"QWEN_API_KEY", "k-qwen"}, {"MODELSTUDIO_API_KEY", "k-ms"}},
       "",
       "k-qwen",
       "from QWEN_API_KEY"},
      {"MODELSTUDIO_API_KEY second",
       false,
       false,
       {{"MODELSTUDIO_API_KEY", "k-ms"}, {"DASHSCOPE_API_KEY", "k-ds"}},
       "",
       "k-ms",
       "from MODELSTUDIO_API_KEY"},
      {"DASHSCOPE_API_KEY last", false, false, {{"DASHSCOPE_API_KEY", "k-ds"}}, "", "k-ds", "from DASHSCOPE_API_KEY"},
      {".env fills what the real env lacks",
       false,
       false,
       {},
       "QWEN_API_KEY=k-dotenv\n",
       "k-dotenv",
       "from QWEN_API_KEY in "},
      {"real env beats .env for the same name",
       false,
       false,
       {{"QWEN_API_KEY", "k-real"}},
       "QWEN_API_KEY=k-dotenv\n",
       "k-real",
       "from QWEN_API_KEY"},
      {"a better-ranked name in .env beats a lesser one in the real env",
       false,
       false,
       {{"DASHSCOPE_API_KEY", "k-ds"}},
       "QWEN_API_KEY=k-dotenv\n",
       "k-dotenv",
       "from QWEN_API_KEY in "},
      {"an empty real variable does not hide .env",
       false,
       false,
       {{"QWEN_API_KEY", ""}},
       "QWEN_API_KEY=k-dotenv\n",
       "k-dotenv",
       "from QWEN_API_KEY in "},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    Fixture f;
    if (row.stored) f.store_key("qwen:default", "k-store");
    if (row.configured) f.config_key("qwen", "k-config");
    f.real_env = row.real;
    f.dotenv_text = row.dotenv;
    for (const char* provider : {"qwen", "modelstudio"}) {
      auto resolved = f.resolve(provider);
      REQUIRE(resolved);
      CHECK(resolved->key == row.expected_key);
      CHECK_THAT(resolved->describe(), Catch::StartsWith(row.expected_description));
      CHECK_THAT(resolved->describe(), !Catch::Contains(row.expected_key));
    }
  }
}

TEST_CASE("shadowed sources are listed for doctor without their values", "[api_key_resolver]") {
  Fixture f;
  f.store_key("qwen:default", "k-store");
  f.real_env = {{"QWEN_API_KEY", "k-env"}};
  f.dotenv_text = "DASHSCOPE_API_KEY=k-ds\n";
  auto resolved = f.resolve("qwen");
  REQUIRE(resolved);
  CHECK(resolved->source == ApiKeySource::credential_store);
  REQUIRE(resolved->shadowed.size() == 2);
  CHECK(resolved->shadowed[0] == "from QWEN_API_KEY");
  CHECK(resolved->shadowed[1] == "from DASHSCOPE_API_KEY in " + (f.tmp / ".env").string());
}

TEST_CASE("qwen-oauth uses its own stored profile, then QWEN_API_KEY only", "[api_key_resolver]") {
  Fixture f;
  f.store_key("qwen:default", "k-dashscope");
  f.real_env = {{"MODELSTUDIO_API_KEY", "k-ms"}};
  auto none = f.resolve("qwen-oauth");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::not_found);
  CHECK_THAT(none.error().message,
             Catch::Contains("onboard --auth-choice qwen-oauth") && Catch::Contains("QWEN_API_KEY"));

  f.real_env["QWEN_API_KEY"] = "k-env";
  CHECK(f.resolve("qwen-oauth")->key == "k-env");

  REQUIRE(f.store.put("qwen-oauth:default", OAuthCredential{"qwen-oauth", "portal-access", "r", 42, ""}));
  auto resolved = f.resolve("qwen-oauth");
  REQUIRE(resolved);
  CHECK(resolved->key == "portal-access");
  CHECK(resolved->expires_at_ms == 42);
  CHECK(resolved->describe() == "from the credential store (qwen-oauth:default)");
}

TEST_CASE("the legacy modelstudio profile and config entry are honoured for qwen", "[api_key_resolver]") {
  Fixture f;
  f.store_key("modelstudio:default", "k-legacy-store");
  CHECK(f.resolve("qwen")->key == "k-legacy-store");

  Fixture g;
  g.config_key("modelstudio", "k-legacy-config");
  CHECK(g.resolve("qwen")->key == "k-legacy-config");
}

TEST_CASE("a custom modelstudio provider's key never leaks into qwen", "[api_key_resolver]") {
  Fixture f;
  f.config_key("modelstudio", "k-custom", "anthropic-messages");
  f.real_env = {{"DASHSCOPE_API_KEY", "k-ds"}};
  CHECK(f.resolve("qwen")->key == "k-ds");
}

TEST_CASE("a ${NAME} apiKey in config is read from that variable", "[api_key_resolver]") {
  Fixture f;
  f.config_key("qwen", "${MY_QWEN_KEY}");
  f.dotenv_text = "MY_QWEN_KEY=k-indirect\n";
  auto resolved = f.resolve("qwen");
  REQUIRE(resolved);
  CHECK(resolved->key == "k-indirect");
  CHECK(resolved->describe() ==
        "from MY_QWEN_KEY in " + (f.tmp / ".env").string() + " (referenced by models.providers.qwen.apiKey)");

  Fixture unset;
  unset.config_key("qwen", "${MY_QWEN_KEY}");
  unset.real_env = {{"QWEN_API_KEY", "k-env"}};
  auto failed = unset.resolve("qwen");
  REQUIRE_FALSE(failed);
  CHECK_THAT(failed.error().message,
             Catch::Contains("refers to ${MY_QWEN_KEY}, which is not set") && Catch::Contains("set MY_QWEN_KEY"));
}

TEST_CASE("no key anywhere: the error names the onboarding command and the variables", "[api_key_resolver]") {
  Fixture f;
  auto resolved = f.resolve("qwen");
  REQUIRE_FALSE(resolved);
  CHECK(resolved.error().code == ErrorCode::not_found);
  CHECK_THAT(resolved.error().message, Catch::Contains("claw-host onboard --auth-choice qwen-api-key") &&
                                           Catch::Contains("QWEN_API_KEY, MODELSTUDIO_API_KEY or DASHSCOPE_API_KEY") &&
                                           Catch::Contains((f.tmp / ".env").string()));
}

TEST_CASE("a broken credential store is an error, not a silent fallback to env", "[api_key_resolver]") {
  Fixture f;
  test::write_file(f.tmp / "credentials.json", "{", 0600);
  f.real_env = {{"QWEN_API_KEY", "k-env"}};
  auto resolved = f.resolve("qwen");
  REQUIRE_FALSE(resolved);
  CHECK(resolved.error().code == ErrorCode::parse_error);
}

TEST_CASE("api_key_env_vars lists the names in precedence order", "[api_key_resolver]") {
  CHECK(api_key_env_vars("qwen") ==
        std::vector<std::string>{"QWEN_API_KEY", "MODELSTUDIO_API_KEY", "DASHSCOPE_API_KEY"});
  CHECK(api_key_env_vars("modelstudio") == api_key_env_vars("qwen"));
  CHECK(api_key_env_vars("qwen-oauth") == std::vector<std::string>{"QWEN_API_KEY"});
  CHECK(api_key_env_vars("other").empty());
}
