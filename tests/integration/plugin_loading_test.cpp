// The real plugin, loaded through the host's loader (Boost.DLL) from a
// temporary plugin directory, and the broken files it must refuse.
#include "test_support.hpp"

#include "claw_host/plugin_host.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace claw_host;
using openclaw_test::TempDir;

namespace {

std::string collect(const oc_provider* provider, const char* request,
                    oc_status (*OC_ABI call)(const oc_provider*, oc_str, const oc_sink*, oc_error*),
                    oc_status* status_out = nullptr, oc_error* error_out = nullptr) {
  std::string output;
  oc_sink sink{&output, [](void* data, const char* ptr, size_t len) -> int32_t {
                 static_cast<std::string*>(data)->append(ptr, len);
                 return 0;
               }};
  oc_error error{};
  error.struct_size = sizeof error;
  const oc_status status = call(provider, oc_str{request, std::strlen(request)}, &sink, &error);
  if (status_out) *status_out = status;
  if (error_out) *error_out = error;
  return output;
}

struct LoadedQwen {
  TempDir dir;
  PluginHost host;
  LoadedQwen() {
    openclaw_test::install_plugin(dir.path() / "plugins");
    const auto found = discover_plugins(dir.path() / "plugins");
    REQUIRE(found.problems.empty());
    REQUIRE(found.plugins.size() == 1);
    REQUIRE_FALSE(host.load(found.plugins[0]).has_value());
  }
};

std::string install_fixture(const fs::path& plugin_dir, const std::string& name, unsigned manifest_major) {
  const auto target = plugin_dir / name;
  fs::create_directories(target);
  fs::copy_file(openclaw_test::fixture_library(name + ".so"), target / (name + ".so"));
  openclaw_test::write_file(target / "openclaw.plugin.json",
                            R"({"id":")" + name + R"(","version":"0.0.1","library":")" + name +
                                R"(.so","abi":{"major":)" + std::to_string(manifest_major) + R"(,"minor":0}})");
  return (target / (name + ".so")).string();
}

} // namespace

TEST_CASE("the plugin exports exactly one dynamic symbol, the ABI entry", "[abi]") {
  const auto result = openclaw_test::run_process(
      {"/usr/bin/nm", "-D", "--defined-only", openclaw_test::built_plugin_library().string()}, {});
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> symbols;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) symbols.push_back(line.substr(line.rfind(' ') + 1));
  }
  CHECK(symbols == std::vector<std::string>{"openclaw_provider_plugin_entry"});
}

TEST_CASE("the plugin registers qwen, qwen-oauth and the modelstudio alias", "[plugin]") {
  LoadedQwen qwen;
  const auto& providers = qwen.host.providers();
  REQUIRE(providers.size() == 3);
  CHECK(std::string(providers[0].table->id) == "qwen");
  CHECK(providers[0].table->alias_of == nullptr);
  CHECK(std::string(providers[1].table->id) == "qwen-oauth");
  CHECK(std::string(providers[2].table->id) == "modelstudio");
  CHECK(std::string(providers[2].table->alias_of) == "qwen");
  CHECK(providers[0].descriptor.at("defaultModel") == "qwen/qwen3.5-plus");
  CHECK(providers[1].descriptor.at("defaultModel") == "qwen-oauth/qwen3.5-plus");
  const auto negotiated = qwen.host.negotiated_version("qwen");
  REQUIRE(negotiated);
  CHECK(negotiated->major == OC_ABI_VERSION_MAJOR);
}

TEST_CASE("every auth choice maps to its base URL, legacy twins hidden from new users", "[plugin]") {
  LoadedQwen qwen;
  const std::map<std::string, std::pair<std::string, bool>> expected{
      {"qwen-standard-api-key-cn", {"https://dashscope.aliyuncs.com/compatible-mode/v1", false}},
      {"qwen-standard-api-key", {"https://dashscope-intl.aliyuncs.com/compatible-mode/v1", false}},
      {"qwen-api-key-cn", {"https://coding.dashscope.aliyuncs.com/v1", false}},
      {"qwen-api-key", {"https://coding-intl.dashscope.aliyuncs.com/v1", false}},
      {"qwen-oauth", {"https://portal.qwen.ai/v1", false}},
      {"modelstudio-standard-api-key-cn", {"https://dashscope.aliyuncs.com/compatible-mode/v1", true}},
      {"modelstudio-standard-api-key", {"https://dashscope-intl.aliyuncs.com/compatible-mode/v1", true}},
      {"modelstudio-api-key-cn", {"https://coding.dashscope.aliyuncs.com/v1", true}},
      {"modelstudio-api-key", {"https://coding-intl.dashscope.aliyuncs.com/v1", true}},
  };
  std::map<std::string, std::pair<std::string, bool>> seen;
  for (const auto& provider : qwen.host.providers()) {
    for (const auto& choice : provider.descriptor.at("authChoices").as_array()) {
      const auto& c = choice.as_object();
      seen[std::string(c.at("id").as_string())] = {std::string(c.at("baseUrl").as_string()), c.at("legacy").as_bool()};
    }
  }
  CHECK(seen == expected);

  // The onboarding patch writes that base URL, for each choice.
  for (const auto& [choice, url_and_legacy] : expected) {
    INFO(choice);
    const auto* provider = qwen.host.find(choice == "qwen-oauth" ? "qwen-oauth" : "qwen");
    const std::string request = R"({"authChoice":")" + choice + R"(","config":{}})";
    oc_status status{};
    const auto patch = json::parse(collect(provider->table, request.c_str(), provider->table->onboard, &status));
    REQUIRE(status == OC_OK);
    const auto provider_id = std::string(provider->table->id);
    CHECK(patch.at("config").at("models").at("providers").at(provider_id).at("baseUrl") == url_and_legacy.first.c_str());
    CHECK(patch.at("config").at("agents").at("defaults").at("model").at("primary") ==
          (provider_id + "/qwen3.5-plus").c_str());
    CHECK(patch.at("credentialProfile") == (provider_id + ":default").c_str());
  }
}

TEST_CASE("onboarding keeps an existing primary model", "[plugin]") {
  LoadedQwen qwen;
  const auto* provider = qwen.host.find("qwen");
  const auto patch = json::parse(collect(provider->table,
      R"({"authChoice":"qwen-api-key","config":{"agents":{"defaults":{"model":{"primary":"other/model"}}}}})",
      provider->table->onboard));
  CHECK_FALSE(patch.at("config").at("agents").at("defaults").as_object().contains("model"));
}

TEST_CASE("modelstudio/glm-5 resolves to qwen/glm-5", "[plugin]") {
  LoadedQwen qwen;
  const auto resolution = qwen.host.resolve("modelstudio", json::object{});
  REQUIRE(resolution.provider != nullptr);
  CHECK(resolution.via_alias);
  CHECK(std::string(resolution.provider->table->id) == "qwen");
  const auto row = json::parse(collect(resolution.provider->table, R"({"model":"modelstudio/glm-5"})",
                                       resolution.provider->table->resolve_model));
  CHECK(row.at("ref") == "qwen/glm-5");
  CHECK(row.at("contextWindow") == 202752);
}

TEST_CASE("a custom modelstudio provider with another api owns modelstudio refs", "[plugin]") {
  LoadedQwen qwen;
  const auto custom = json::parse(R"({"models":{"providers":{"modelstudio":{"api":"anthropic-messages","baseUrl":"https://x"}}}})").as_object();
  const auto owned = qwen.host.resolve("modelstudio", custom);
  CHECK(owned.provider == nullptr);
  CHECK_THAT(owned.error, Catch::Contains("custom provider"));
  // The same entry with the Qwen api keeps the alias.
  const auto same_api = json::parse(R"({"models":{"providers":{"modelstudio":{"api":"openai-completions"}}}})").as_object();
  CHECK(qwen.host.resolve("modelstudio", same_api).provider != nullptr);
}

TEST_CASE("the hidden model's error names the Standard endpoint fix", "[plugin]") {
  LoadedQwen qwen;
  const auto* provider = qwen.host.find("qwen");
  oc_status status{};
  oc_error error{};
  collect(provider->table, R"({"model":"qwen/qwen3.6-plus"})", provider->table->resolve_model, &status, &error);
  CHECK(status == OC_ERR_NOT_FOUND);
  CHECK(std::string(error.message) ==
        "Unknown model: qwen/qwen3.6-plus. qwen3.6-plus is not supported on the Qwen Coding Plan endpoint; "
        "use a Standard pay-as-you-go Qwen endpoint or choose qwen/qwen3.5-plus.");
  CHECK_THAT(std::string(error.hint), Catch::Contains("qwen-standard-api-key"));
}

TEST_CASE("declared capabilities are reachable and answer cleanly", "[abi]") {
  LoadedQwen qwen;
  const auto* provider = qwen.host.find("qwen")->table;
  const auto* portal = qwen.host.find("qwen-oauth")->table;
  CHECK(provider->get_capability(provider, OC_CAPABILITY_CHAT) != nullptr);
  CHECK(provider->get_capability(provider, OC_CAPABILITY_VIDEO_GENERATION) != nullptr);
  CHECK(provider->get_capability(provider, OC_CAPABILITY_MEDIA_UNDERSTANDING) != nullptr);
  CHECK(provider->get_capability(provider, OC_CAPABILITY_DEVICE_LOGIN) == nullptr);
  CHECK(portal->get_capability(portal, OC_CAPABILITY_DEVICE_LOGIN) != nullptr);
  CHECK(portal->get_capability(portal, OC_CAPABILITY_VIDEO_GENERATION) == nullptr);
  CHECK(provider->get_capability(provider, "openclaw.chat/999") == nullptr);
  auto* chat = static_cast<const oc_chat_v1*>(provider->get_capability(provider, OC_CAPABILITY_CHAT));
  CHECK(chat->struct_size == sizeof(oc_chat_v1));
}

TEST_CASE("a plugin built for another ABI major is refused before init", "[loader]") {
  TempDir dir;
  const auto plugins = dir.path() / "plugins";
  install_fixture(plugins, "wrong_major_plugin", OC_ABI_VERSION_MAJOR);
  PluginHost host;
  const auto found = discover_plugins(plugins);
  REQUIRE(found.plugins.size() == 1);
  const auto problem = host.load(found.plugins[0]);
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("major versions differ"));
  CHECK(host.providers().empty());
}

TEST_CASE("a manifest declaring another ABI major is refused without loading code", "[loader]") {
  TempDir dir;
  install_fixture(dir.path() / "plugins", "wrong_major_plugin", 99);
  PluginHost host;
  const auto found = discover_plugins(dir.path() / "plugins");
  const auto problem = host.load(found.plugins.at(0));
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("needs provider ABI 99.x"));
}

TEST_CASE("garbage, symbol-less and failing plugins are skipped with a reason; the good one loads", "[loader]") {
  TempDir dir;
  const auto plugins = dir.path() / "plugins";
  openclaw_test::install_plugin(plugins);
  openclaw_test::write_file(plugins / "garbage" / "garbage.so", std::string(4096, '\x7f') + "not an ELF file");
  openclaw_test::write_file(plugins / "garbage" / "openclaw.plugin.json",
                            R"({"id":"garbage","library":"garbage.so","abi":{"major":1,"minor":0}})");
  install_fixture(plugins, "no_entry_plugin", OC_ABI_VERSION_MAJOR);
  install_fixture(plugins, "failing_init_plugin", OC_ABI_VERSION_MAJOR);
  openclaw_test::write_file(plugins / "broken-manifest" / "openclaw.plugin.json", "{ not json");
  openclaw_test::write_file(plugins / "stray.so", "x");

  PluginHost host;
  const auto found = discover_plugins(plugins);
  CHECK(found.problems.size() == 2); // broken manifest + stray .so
  const auto problems = host.load_all(found);
  REQUIRE(problems.size() == 3);
  std::string all;
  for (const auto& problem : problems) all += problem.message + "\n";
  CHECK_THAT(all, Catch::Contains("not a loadable shared library"));
  CHECK_THAT(all, Catch::Contains("does not export openclaw_provider_plugin_entry"));
  CHECK_THAT(all, Catch::Contains("fixture refuses to start"));
  CHECK(host.find("qwen") != nullptr); // the good plugin still works
}

TEST_CASE("a second plugin registering an existing provider id fails its init cleanly", "[loader]") {
  TempDir dir;
  openclaw_test::install_plugin(dir.path() / "a");
  openclaw_test::install_plugin(dir.path() / "b");
  // Same library under another plugin id: its providers collide.
  auto manifest = json::parse(openclaw_test::read_file(dir.path() / "b" / "qwen" / "openclaw.plugin.json")).as_object();
  manifest["id"] = "qwen-copy";
  openclaw_test::write_file(dir.path() / "b" / "qwen" / "openclaw.plugin.json", json::serialize(manifest));
  fs::rename(dir.path() / "b" / "qwen" / "libopenclaw-qwen.so", dir.path() / "b" / "qwen" / "libopenclaw-qwen-copy.so");
  manifest["library"] = "libopenclaw-qwen-copy.so";
  openclaw_test::write_file(dir.path() / "b" / "qwen" / "openclaw.plugin.json", json::serialize(manifest));

  PluginHost host;
  REQUIRE_FALSE(host.load(discover_plugins(dir.path() / "a").plugins.at(0)));
  const auto problem = host.load(discover_plugins(dir.path() / "b").plugins.at(0));
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("already registered"));
  CHECK(host.providers().size() == 3);
}

TEST_CASE("an older host with a shorter host table and an older minor still works", "[abi]") {
  // Simulates a host built against ABI 1.0 that predates get_extension.
  TempDir dir;
  openclaw_test::install_plugin(dir.path());
  PluginHost loader; // only used to resolve the entry symbol safely
  REQUIRE_FALSE(loader.load(discover_plugins(dir.path()).plugins.at(0)));
  const auto* entry = loader.find("qwen")->entry;
  struct Registered {
    int count = 0;
  } registered;
  oc_host old_host{};
  old_host.struct_size = offsetof(oc_host, get_extension); // no get_extension slot
  old_host.abi_version = {OC_ABI_VERSION_MAJOR, 0, 0};
  old_host.host_data = &registered;
  old_host.register_provider = [](void* data, const oc_provider*, oc_error*) -> oc_status {
    ++static_cast<Registered*>(data)->count;
    return OC_OK;
  };
  oc_version negotiated{};
  oc_error error{};
  error.struct_size = sizeof error;
  // init is reference-counted: the second init succeeds without registering again.
  CHECK(entry->init(&old_host, "x", &negotiated, &error) == OC_OK);
  CHECK(negotiated.minor == 0);
  CHECK(registered.count == 0);
  entry->deinit();
}
