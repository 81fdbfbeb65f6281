// claw-host as a user runs it: a real subprocess, a temporary state dir, the
// real plugin in its plugin directory.
#include "test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sys/stat.h>

namespace json = boost::json;
namespace fs = std::filesystem;
using openclaw_test::run_claw_host;
using openclaw_test::TempDir;

namespace {

struct State {
  TempDir dir;
  State() { openclaw_test::install_plugin(dir.path() / "plugins"); }
  fs::path path() const { return dir.path(); }
  fs::path config() const { return dir.path() / "openclaw.json"; }
  fs::path credentials() const { return dir.path() / "credentials.json"; }
};

const std::string kKey = "sk-test-1234567890abcdef";

std::vector<std::string> refs_of(const std::string& json_text) {
  std::vector<std::string> refs;
  const auto rows = json::parse(json_text); // keep the document alive for the loop
  for (const auto& row : rows.as_array()) refs.emplace_back(row.at("ref").as_string());
  return refs;
}

} // namespace

TEST_CASE("models list works with no config and says how to onboard", "[cli]") {
  State state;
  const auto result = run_claw_host(state.path(), {"models", "list", "--provider", "qwen"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("qwen/qwen3.5-plus"));
  CHECK_THAT(result.out, Catch::Contains("claw-host onboard --auth-choice"));
  CHECK_THAT(result.out, !Catch::Contains("qwen/qwen3.6-plus")); // default endpoint is Coding Plan
}

TEST_CASE("onboarding Standard then listing shows the Standard-only model", "[cli]") {
  State state;
  auto onboard = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-standard-api-key", "--api-key", kKey});
  REQUIRE(onboard.exit_code == 0);
  const auto listing = run_claw_host(state.path(), {"models", "list", "--provider", "qwen", "--json"});
  REQUIRE(listing.exit_code == 0);
  const auto refs = refs_of(listing.out);
  CHECK(refs.size() == 9);
  CHECK(std::find(refs.begin(), refs.end(), "qwen/qwen3.6-plus") != refs.end());
}

TEST_CASE("onboarding Coding Plan hides qwen3.6-plus; --all shows it marked", "[cli]") {
  State state;
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key-cn", "--api-key", kKey}).exit_code == 0);
  const auto config = json::parse(openclaw_test::read_file(state.config()));
  CHECK(config.at("models").at("providers").at("qwen").at("baseUrl") == "https://coding.dashscope.aliyuncs.com/v1");
  CHECK(config.at("models").at("providers").at("qwen").at("api") == "openai-completions");
  CHECK(config.at("models").at("providers").at("qwen").at("models").as_array().size() == 8);
  CHECK(config.at("agents").at("defaults").at("models").as_object().contains("modelstudio/glm-5"));
  CHECK(config.at("auth").at("profiles").at("qwen:default").at("mode") == "api_key");

  const auto all = run_claw_host(state.path(), {"models", "list", "--provider", "qwen", "--all", "--json"});
  REQUIRE(all.exit_code == 0);
  const auto rows = json::parse(all.out).as_array();
  const auto hidden = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.at("id") == "qwen3.6-plus"; });
  REQUIRE(hidden != rows.end());
  CHECK(hidden->at("available") == false);
}

TEST_CASE("the key goes only to a 0600 credential file and never into any output", "[cli][secrets]") {
  State state;
  const auto onboard = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey});
  REQUIRE(onboard.exit_code == 0);
  struct stat info {};
  REQUIRE(::stat(state.credentials().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK_THAT(openclaw_test::read_file(state.credentials()), Catch::Contains(kKey));
  CHECK_THAT(openclaw_test::read_file(state.config()), !Catch::Contains(kKey));
  CHECK_THAT(onboard.out + onboard.err, !Catch::Contains(kKey));
  CHECK_THAT(onboard.out, Catch::Contains("cdef")); // the redacted tail only
  const auto json_out = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey, "--json"});
  CHECK_THAT(json_out.out + json_out.err, !Catch::Contains(kKey));
}

TEST_CASE("onboarding twice changes nothing more and keeps hand edits", "[cli]") {
  State state;
  openclaw_test::write_file(state.config(), R"({
    // my gateway settings
    "gateway": {"port": 18789},
    "models": {"providers": {"qwen": {"models": [
      {"id": "qwen3.6-plus", "name": "my 3.6", "contextWindow": 500000},
    ]}}},
    "agents": {"defaults": {"model": {"primary": "qwen/glm-5"}}},
  })");
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey}).exit_code == 0);
  const auto first = openclaw_test::read_file(state.config());
  const auto second_run = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey});
  REQUIRE(second_run.exit_code == 0);
  CHECK(openclaw_test::read_file(state.config()) == first);
  CHECK_THAT(second_run.out, Catch::Contains("(unchanged)"));

  const auto config = json::parse(first);
  CHECK(config.at("gateway").at("port") == 18789);
  CHECK(config.at("agents").at("defaults").at("model").at("primary") == "qwen/glm-5");
  const auto& models = config.at("models").at("providers").at("qwen").at("models").as_array();
  CHECK(models.at(0).at("name") == "my 3.6"); // the user's entry, as written
  CHECK(models.size() == 9);                  // 8 catalog models + the user's
  CHECK(fs::exists(state.path() / "openclaw.json.bak")); // comments were kept in a backup

  // The model the user listed is honoured on the Coding Plan endpoint.
  const auto listing = run_claw_host(state.path(), {"models", "list", "--provider", "qwen", "--json"});
  const auto refs = refs_of(listing.out);
  CHECK(std::find(refs.begin(), refs.end(), "qwen/qwen3.6-plus") != refs.end());
}

TEST_CASE("onboarding reads the env vars in order, the .env file as fallback", "[cli]") {
  State state;
  auto stored_key = [&] {
    return json::parse(openclaw_test::read_file(state.credentials())).at("profiles").at("qwen:default").at("key");
  };
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key"},
                        {{"DASHSCOPE_API_KEY", "sk-dashscope-0003"}, {"MODELSTUDIO_API_KEY", "sk-modelstudio-0002"}})
              .exit_code == 0);
  CHECK(stored_key() == "sk-modelstudio-0002");
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key"},
                        {{"QWEN_API_KEY", "sk-qwen-0001"}, {"DASHSCOPE_API_KEY", "sk-dashscope-0003"}})
              .exit_code == 0);
  CHECK(stored_key() == "sk-qwen-0001");
  openclaw_test::write_file(state.path() / ".env", "# daemon env\nexport DASHSCOPE_API_KEY=\"sk-from-dotenv-0004\"\n");
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key"}).exit_code == 0);
  CHECK(stored_key() == "sk-from-dotenv-0004");
}

TEST_CASE("onboarding with no key anywhere fails and says where to put one", "[cli]") {
  State state;
  const auto result = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("QWEN_API_KEY"));
  CHECK_FALSE(fs::exists(state.credentials()));
}

TEST_CASE("a legacy modelstudio auth choice behaves like its qwen twin", "[cli]") {
  State state;
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "modelstudio-standard-api-key-cn", "--api-key", kKey}).exit_code == 0);
  const auto config = json::parse(openclaw_test::read_file(state.config()));
  CHECK(config.at("models").at("providers").at("qwen").at("baseUrl") == "https://dashscope.aliyuncs.com/compatible-mode/v1");
}

TEST_CASE("the portal token is stored under qwen-oauth", "[cli]") {
  State state;
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-oauth", "--api-key", "-"}, {}, "portal-token-abcdef\n").exit_code == 0);
  const auto credentials = json::parse(openclaw_test::read_file(state.credentials()));
  CHECK(credentials.at("profiles").at("qwen-oauth:default").at("provider") == "qwen-oauth");
  const auto config = json::parse(openclaw_test::read_file(state.config()));
  CHECK(config.at("models").at("providers").at("qwen-oauth").at("baseUrl") == "https://portal.qwen.ai/v1");
  CHECK(config.at("agents").at("defaults").at("model").at("primary") == "qwen-oauth/qwen3.5-plus");
}

TEST_CASE("a malformed config gives line and column and is never overwritten", "[cli]") {
  State state;
  const std::string broken = "{\n  \"models\": {\n    \"providers\": { oops }\n  }\n}\n";
  openclaw_test::write_file(state.config(), broken);
  const auto result = run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains("openclaw.json:3:"));
  CHECK(openclaw_test::read_file(state.config()) == broken);
  CHECK_FALSE(fs::exists(state.credentials()));
  CHECK(run_claw_host(state.path(), {"models", "list"}).exit_code == 3);
}

TEST_CASE("broken files in the plugin dir are skipped with a message, never a crash", "[cli]") {
  State state;
  openclaw_test::write_file(state.path() / "plugins" / "junk" / "junk.so", "garbage");
  openclaw_test::write_file(state.path() / "plugins" / "junk" / "openclaw.plugin.json",
                            R"({"id":"junk","library":"junk.so","abi":{"major":1,"minor":0}})");
  const auto result = run_claw_host(state.path(), {"models", "list", "--provider", "qwen"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("skipped") && Catch::Contains("junk.so"));
  CHECK_THAT(result.out, Catch::Contains("qwen/qwen3.5-plus"));
  const auto plugins = run_claw_host(state.path(), {"plugins", "list"});
  CHECK(plugins.exit_code == 0);
  CHECK_THAT(plugins.out, Catch::Contains("qwen") && Catch::Contains("junk"));
}

TEST_CASE("the plugin dir comes from --plugin-dir, then OPENCLAW_PLUGIN_DIR", "[cli]") {
  TempDir state;
  TempDir elsewhere;
  openclaw_test::install_plugin(elsewhere.path());
  CHECK(run_claw_host(state.path(), {"models", "list"}).exit_code == 5); // nothing in <state>/plugins
  CHECK(run_claw_host(state.path(), {"--plugin-dir", elsewhere.path().string(), "models", "list"}).exit_code == 0);
  CHECK(run_claw_host(state.path(), {"models", "list"}, {{"OPENCLAW_PLUGIN_DIR", elsewhere.path().string()}}).exit_code == 0);
}

TEST_CASE("every command answers --help and unknown options are usage errors", "[cli]") {
  State state;
  for (const auto* command : {"plugins", "providers", "models", "onboard", "chat", "doctor", "login", "auth", "understand", "video"}) {
    INFO(command);
    const auto help = run_claw_host(state.path(), {command, "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::StartsWith("Usage: claw-host"));
    CHECK(run_claw_host(state.path(), {command, "--no-such-option"}).exit_code == 2);
  }
  CHECK(run_claw_host(state.path(), {"--help"}).exit_code == 0);
  CHECK(run_claw_host(state.path(), {"frobnicate"}).exit_code == 2);
}

TEST_CASE("modelstudio refs list through the qwen provider", "[cli]") {
  State state;
  const auto result = run_claw_host(state.path(), {"models", "list", "--provider", "modelstudio", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto refs = refs_of(result.out);
  CHECK(std::find(refs.begin(), refs.end(), "qwen/glm-5") != refs.end());
}

TEST_CASE("doctor names a missing key, passes once onboarded, never prints the key", "[cli]") {
  State state;
  const auto before = run_claw_host(state.path(), {"doctor"});
  CHECK(before.exit_code == 1);
  CHECK_THAT(before.out, Catch::Contains("FAIL") && Catch::Contains("no key found") && Catch::Contains("onboard"));

  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-standard-api-key", "--api-key", kKey}).exit_code == 0);
  const auto after = run_claw_host(state.path(), {"doctor", "--json"});
  CHECK(after.exit_code == 0);
  const auto report = json::parse(after.out);
  CHECK(report.at("ok") == true);
  CHECK_THAT(after.out, Catch::Contains("qwen3.5-plus is served") && Catch::Contains("available (qwen-vl-max-latest)"));
  CHECK((after.out + after.err).find(kKey) == std::string::npos);

  openclaw_test::write_file(state.config(), "{\n  \"models\": [,]\n}\n");
  const auto broken = run_claw_host(state.path(), {"doctor"});
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.out, Catch::Contains("openclaw.json:2:"));
}
