// Qwen Portal (qwen-oauth) end to end: the device login with PKCE, token
// storage, single-flight refresh and chat with a stored login, through the
// real plugin and claw-host, against the DashScope emulator's OAuth routes
// over loopback.
#include "test_support.hpp"

#include "claw_host/credential_store.hpp"
#include "claw_host/oauth_refresher.hpp"
#include "claw_host/plugin_host.hpp"
#include "claw_host/portal_login.hpp"
#include "dashscope_emulator/emulator.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

namespace json = boost::json;
namespace de = dashscope_emulator;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using openclaw_test::TempDir;

namespace {

constexpr const char* kPlantedRefresh = "qrt-planted-refresh-token-0123456789abcdef";
constexpr const char* kPlantedAccess = "qat-planted-access-token-0123456789abcdef";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// application/x-www-form-urlencoded -> map (values here are never encoded
// beyond what this needs, but decode anyway).
std::map<std::string, std::string> form_of(const std::string& body) {
  const auto decode = [](std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '+') {
        out += ' ';
      } else if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> form;
  std::string_view rest = body;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    form[decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
  }
  return form;
}

void require_no_secrets(const std::string& text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    INFO("a secret leaked into output: " << secret.substr(0, 6) << "...");
    CHECK(text.find(secret) == std::string::npos);
  }
}

// A state dir with the plugin installed and a config pointing the OAuth
// routes (and optionally chat) at the emulator.
struct PortalState {
  TempDir dir;
  explicit PortalState(const de::Emulator& emulator, const std::string& chat_base_url = {}) {
    openclaw_test::install_plugin(dir.path() / "plugins");
    json::object portal{{"oauthBaseUrl", emulator.origin()}};
    if (!chat_base_url.empty()) portal["baseUrl"] = chat_base_url;
    write_config(json::object{{"models", {{"providers", {{"qwen-oauth", portal}}}}}});
  }
  fs::path path() const { return dir.path(); }
  fs::path credentials() const { return dir.path() / "credentials.json"; }
  void write_config(const json::object& config) const {
    openclaw_test::write_file(dir.path() / "openclaw.json", json::serialize(config));
  }
  openclaw_test::ProcessResult run(const std::vector<std::string>& args,
                                   std::map<std::string, std::string> env = {}) const {
    env.emplace("OPENCLAW_OAUTH_MIN_POLL_MS", "20");
    env.emplace("NO_COLOR", "1");
    return openclaw_test::run_claw_host(path(), args, env);
  }
  std::optional<claw_host::OAuthCredential> stored() const {
    const claw_host::CredentialStore store(credentials());
    auto credential = store.get(claw_host::kPortalProfileId);
    REQUIRE(credential);
    if (!*credential) return std::nullopt;
    const auto* oauth = std::get_if<claw_host::OAuthCredential>(&**credential);
    REQUIRE(oauth != nullptr);
    return *oauth;
  }
  void plant(const claw_host::OAuthCredential& credential) const {
    claw_host::CredentialStore store(credentials());
    REQUIRE(store.put(claw_host::kPortalProfileId, credential));
  }
};

claw_host::OAuthCredential planted(std::int64_t expires_at_ms, std::string resource_url = {}) {
  return claw_host::OAuthCredential{"qwen-oauth", kPlantedAccess, kPlantedRefresh, expires_at_ms,
                                    std::move(resource_url)};
}

// The real plugin loaded in this process, for calls through the host-side
// login client and refresher.
struct LoadedPlugin {
  TempDir dir;
  claw_host::PluginHost host;
  LoadedPlugin() {
    openclaw_test::install_plugin(dir.path() / "plugins");
    const auto found = claw_host::discover_plugins(dir.path() / "plugins");
    REQUIRE(found.plugins.size() == 1);
    REQUIRE_FALSE(host.load(found.plugins[0]).has_value());
  }
  claw_host::DeviceLoginClient client(const de::Emulator& emulator, const std::string& ca = {}) const {
    claw_host::PortalEndpoint endpoint;
    endpoint.provider = host.find("qwen-oauth")->table;
    endpoint.provider_config_json = json::serialize(json::object{{"oauthBaseUrl", emulator.origin()}});
    endpoint.ca_bundle_path = ca;
    auto client = claw_host::DeviceLoginClient::open(endpoint);
    REQUIRE(client.has_value());
    return *client;
  }
};

claw_host::DeviceLoginOptions fast_login() {
  claw_host::DeviceLoginOptions options;
  options.min_poll_interval = 0ms;
  return options;
}

std::vector<de::RecordedRequest> token_requests(const de::Emulator& emulator) {
  return emulator.requests("/api/v1/oauth2/token");
}

}  // namespace

// ---- login through claw-host ------------------------------------------------

TEST_CASE("login runs the device flow with PKCE S256 and stores the tokens in a 0600 file",
          "[oauth][login]") {
  de::Emulator emulator;
  emulator.push_device_auth({.pending_replies = 0, .interval_seconds = 0, .token_expires_in = 3600});
  PortalState state(emulator);

  const auto before = now_ms();
  const auto result = state.run({"login", "qwen-oauth", "--no-browser"});
  REQUIRE(result.exit_code == 0);

  // What went over the wire: Qwen's client id, scope and PKCE S256.
  const auto device = emulator.requests("/api/v1/oauth2/device/code");
  REQUIRE(device.size() == 1);
  CHECK_THAT(device[0].header("Content-Type"), Catch::StartsWith("application/x-www-form-urlencoded"));
  const auto start = form_of(device[0].body);
  CHECK(start.at("client_id") == "f0304373b74a44d2b584a3fb70ca9e56");
  CHECK(start.at("scope") == "openid profile email model.completion");
  CHECK(start.at("code_challenge_method") == "S256");
  const auto tokens = token_requests(emulator);
  REQUIRE(tokens.size() == 1);
  const auto poll = form_of(tokens[0].body);
  CHECK(poll.at("grant_type") == "urn:ietf:params:oauth:grant-type:device_code");
  CHECK(poll.at("client_id") == "f0304373b74a44d2b584a3fb70ca9e56");
  CHECK(poll.at("code_verifier").size() == 43);
  CHECK(de::pkce_challenge(poll.at("code_verifier")) == start.at("code_challenge"));
  CHECK_FALSE(tokens[0].has_header("Authorization"));

  // What was stored: the issued pair, the expiry in unix ms, the API base.
  const auto credential = state.stored();
  REQUIRE(credential.has_value());
  CHECK(credential->provider == "qwen-oauth");
  CHECK(credential->access == emulator.issued_access_tokens().at(0));
  CHECK(credential->refresh == emulator.issued_refresh_tokens().at(0));
  REQUIRE(credential->expires_at_ms.has_value());
  CHECK(*credential->expires_at_ms >= before + 3600 * 1000);
  CHECK(*credential->expires_at_ms <= now_ms() + 3600 * 1000);
  // The emulator's resource_url is "127.0.0.1:PORT", like the real "portal.qwen.ai".
  CHECK(credential->resource_url == "https://127.0.0.1:" + std::to_string(emulator.port()) + "/v1");
  struct stat info {};
  REQUIRE(::stat(state.credentials().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  // The user sees where to go; nobody sees a secret.
  CHECK_THAT(result.err, Catch::Contains("/authorize?user_code="));
  CHECK_THAT(result.out, Catch::Contains("Logged in"));
  require_no_secrets(result.out + result.err, {credential->access, credential->refresh,
                                               poll.at("device_code"), poll.at("code_verifier")});
}

TEST_CASE("login --json summarises without any token", "[oauth][login][secrets]") {
  de::Emulator emulator;
  emulator.push_device_auth({.pending_replies = 0, .interval_seconds = 0});
  PortalState state(emulator);
  const auto result = state.run({"login", "qwen-oauth", "--no-browser", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto summary = json::parse(result.out).as_object();
  CHECK(summary.at("profile") == "qwen-oauth:default");
  CHECK(summary.at("refreshToken") == true);
  CHECK(summary.at("expiresAt").is_int64());
  const auto poll = form_of(token_requests(emulator).at(0).body);
  require_no_secrets(result.out + result.err,
                     {emulator.issued_access_tokens().at(0), emulator.issued_refresh_tokens().at(0),
                      poll.at("device_code"), poll.at("code_verifier")});
}

TEST_CASE("login keeps polling while authorization is pending", "[oauth][login]") {
  de::Emulator emulator;
  emulator.push_device_auth({.pending_replies = 3, .interval_seconds = 0});
  PortalState state(emulator);
  const auto result = state.run({"login", "qwen-oauth", "--no-browser"});
  REQUIRE(result.exit_code == 0);
  CHECK(token_requests(emulator).size() == 4);
  CHECK(state.stored()->access == emulator.issued_access_tokens().at(0));
}

TEST_CASE("slow_down stretches the poll interval by half each time", "[oauth][login]") {
  const int status = GENERATE(429, 400);  // Qwen's service sends 429; RFC 8628 says 400
  de::Emulator emulator;
  emulator.push_device_auth(
      {.pending_replies = 1, .slow_down_replies = 2, .slow_down_status = status, .interval_seconds = 0});
  PortalState state(emulator);
  const auto result =
      state.run({"login", "qwen-oauth", "--no-browser"}, {{"OPENCLAW_OAUTH_MIN_POLL_MS", "200"}});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("poll more slowly"));

  const auto polls = token_requests(emulator);
  REQUIRE(polls.size() == 4);  // slow_down, slow_down, pending, success
  const auto gap = [&](std::size_t i) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(polls[i].received_at -
                                                                 polls[i - 1].received_at)
        .count();
  };
  // 200 ms at first; 300 after the first slow_down, 450 after the second,
  // and it stays stretched while pending.
  CHECK(gap(1) >= 290);
  CHECK(gap(2) >= 440);
  CHECK(gap(3) >= 440);
  CHECK(gap(2) > gap(1));
}

TEST_CASE("slow_down never goes past 10 s and never shortens a longer interval", "[oauth][login]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  emulator.push_device_auth({.slow_down_replies = 3, .interval_seconds = 0});
  const auto client = plugin.client(emulator);
  auto pending = client.start();
  REQUIRE(pending);
  const auto answer = [&](std::int64_t interval_ms) {
    auto doc = *pending;
    doc["intervalMs"] = interval_ms;
    auto polled = client.poll(doc);
    REQUIRE(polled);
    CHECK(polled->at("status") == "slow_down");
    return polled->at("intervalMs").to_number<std::int64_t>();
  };
  CHECK(answer(2000) == 3000);
  CHECK(answer(8000) == 10000);
  CHECK(answer(20000) == 20000);
}

TEST_CASE("an expired device code ends the login with a clear error and stores nothing", "[oauth][login]") {
  de::Emulator emulator;
  SECTION("the Portal says expired_token") {
    emulator.push_device_auth(
        {.pending_replies = 1, .outcome = de::DeviceAuthOutcome::Expired, .interval_seconds = 0});
  }
  SECTION("the code's own expires_in runs out while pending") {
    emulator.push_device_auth({.pending_replies = 1000, .interval_seconds = 0, .device_expires_in = 1});
  }
  PortalState state(emulator);
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      state.run({"login", "qwen-oauth", "--no-browser"}, {{"OPENCLAW_OAUTH_MIN_POLL_MS", "100"}});
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("expired"));
  CHECK_THAT(result.err, Catch::Contains("claw-host login qwen-oauth"));
  CHECK_FALSE(fs::exists(state.credentials()));
}

TEST_CASE("a denied login fails, says so, and keeps the previous credential", "[oauth][login]") {
  de::Emulator emulator;
  emulator.push_device_auth(
      {.pending_replies = 1, .outcome = de::DeviceAuthOutcome::Denied, .interval_seconds = 0});
  PortalState state(emulator);
  state.plant(planted(now_ms() + 3'600'000));
  const auto before = openclaw_test::read_file(state.credentials());
  const auto result = state.run({"login", "qwen-oauth", "--no-browser"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("denied"));
  CHECK_THAT(result.err, Catch::Contains("claw-host login qwen-oauth"));
  CHECK(openclaw_test::read_file(state.credentials()) == before);
}

TEST_CASE("without oauthBaseUrl the login goes to chat.qwen.ai", "[oauth][login]") {
  de::Emulator emulator;  // only to build a state dir; not contacted
  PortalState state(emulator);
  state.write_config(json::object{});
  // A proxy that refuses connections: the failure names the host we aimed at.
  const auto result =
      state.run({"login", "qwen-oauth", "--no-browser"}, {{"HTTPS_PROXY", "http://127.0.0.1:1"}});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("chat.qwen.ai"));
  CHECK(emulator.requests().empty());
}

TEST_CASE("login refuses other providers and bad poll settings with the fix", "[oauth][login]") {
  de::Emulator emulator;
  PortalState state(emulator);
  auto other = state.run({"login", "qwen"});
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.err, Catch::Contains("onboard"));
  auto bad = state.run({"login", "qwen-oauth"}, {{"OPENCLAW_OAUTH_MIN_POLL_MS", "soon"}});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("OPENCLAW_OAUTH_MIN_POLL_MS"));
  CHECK(emulator.requests().empty());
}

TEST_CASE("resource_url becomes an https API base ending in /v1", "[oauth][login]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  const auto [given, expected] = GENERATE(table<std::string, std::string>({
      {"portal.qwen.ai", "https://portal.qwen.ai/v1"},
      {"portal.example.test/v1/", "https://portal.example.test/v1"},
      {"https://api.example.test", "https://api.example.test/v1"},
      {"http://127.0.0.1:9/api/", "http://127.0.0.1:9/api/v1"},
      {"", "https://portal.qwen.ai/v1"},
  }));
  emulator.push_device_auth({.pending_replies = 0, .interval_seconds = 0, .resource_url = given});
  auto login = claw_host::run_device_login(plugin.client(emulator), fast_login());
  REQUIRE(login);
  CHECK(login->resource_url == expected);
}

// ---- auth status -------------------------------------------------------------

TEST_CASE("auth status shows every profile redacted, its expiry and where keys come from",
          "[oauth][auth][secrets]") {
  de::Emulator emulator;
  emulator.push_device_auth({.pending_replies = 0, .interval_seconds = 0});
  PortalState state(emulator);
  const std::string api_key = "sk-status-test-0123456789abcdef";
  REQUIRE(state.run({"login", "qwen-oauth", "--no-browser"}).exit_code == 0);
  REQUIRE(state.run({"onboard", "--auth-choice", "qwen-api-key", "--api-key", api_key}).exit_code == 0);
  const auto credential = state.stored();
  const std::vector<std::string> secrets{api_key, credential->access, credential->refresh};

  const auto text =
      state.run({"auth", "status"}, {{"DASHSCOPE_API_KEY", "sk-env-shadowed-0123456789abcdef"}});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("qwen-oauth:default"));
  CHECK_THAT(text.out, Catch::Contains("qwen:default"));
  CHECK_THAT(text.out, Catch::Contains("refreshable"));
  CHECK_THAT(text.out, Catch::Contains("from the credential store (qwen-oauth:default)"));
  CHECK_THAT(text.out, Catch::Contains("sk-\xE2\x80\xA6"
                                       "cdef"));
  require_no_secrets(text.out + text.err, secrets);
  require_no_secrets(text.out + text.err, {"sk-env-shadowed-0123456789abcdef"});

  const auto machine = state.run({"auth", "status", "--json"});
  REQUIRE(machine.exit_code == 0);
  require_no_secrets(machine.out + machine.err, secrets);
  const auto doc = json::parse(machine.out).as_object();
  std::map<std::string, json::object> profiles;
  for (const auto& row : doc.at("profiles").as_array())
    profiles[std::string(row.at("id").as_string())] = row.as_object();
  REQUIRE(profiles.count("qwen-oauth:default") == 1);
  const auto& portal = profiles["qwen-oauth:default"];
  CHECK(portal.at("kind") == "oauth");
  CHECK(portal.at("expired") == false);
  CHECK(portal.at("refreshable") == true);
  CHECK(portal.at("expiresAt").to_number<std::int64_t>() == *credential->expires_at_ms);
  CHECK(profiles.at("qwen:default").at("kind") == "api_key");
  std::map<std::string, std::string> key_from;
  for (const auto& row : doc.at("providers").as_array()) {
    key_from[std::string(row.at("provider").as_string())] =
        row.at("keyFrom").is_string() ? std::string(row.at("keyFrom").as_string()) : "";
  }
  CHECK(key_from.at("qwen") == "from the credential store (qwen:default)");
  CHECK(key_from.at("qwen-oauth") == "from the credential store (qwen-oauth:default)");
  CHECK(key_from.count("modelstudio") == 0);  // an alias uses qwen's key
}

TEST_CASE("auth status marks an expired login", "[oauth][auth]") {
  de::Emulator emulator;
  PortalState state(emulator);
  state.plant(planted(now_ms() - 120'000));
  const auto machine = state.run({"auth", "status", "--json"});
  REQUIRE(machine.exit_code == 0);
  const auto doc = json::parse(machine.out);
  CHECK(doc.at("profiles").at(0).at("expired") == true);
  const auto text = state.run({"auth", "status"});
  CHECK_THAT(text.out, Catch::Contains("expired 2 min ago"));
  require_no_secrets(text.out + machine.out, {kPlantedAccess, kPlantedRefresh});
}

// ---- refresh, in process -----------------------------------------------------

TEST_CASE("concurrent requests refresh an expiring token exactly once", "[oauth][refresh]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.push_refresh({.delay = 300ms});  // a wide window for a second refresh to sneak in
  TempDir state;
  const auto file = state.path() / "credentials.json";
  REQUIRE(claw_host::CredentialStore(file).put(claw_host::kPortalProfileId, planted(now_ms() + 10'000)));

  // Two refresher objects, as two independent callers in one process would have.
  const claw_host::OAuthRefresher shared(file, std::string(claw_host::kPortalProfileId),
                                         plugin.client(emulator));
  const claw_host::OAuthRefresher other(file, std::string(claw_host::kPortalProfileId),
                                        plugin.client(emulator));
  constexpr int kThreads = 8;
  std::vector<std::string> tokens(kThreads);
  std::vector<std::string> errors(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      auto fresh = (i % 2 == 0 ? shared : other).fresh();
      if (fresh) {
        tokens[static_cast<std::size_t>(i)] = fresh->access;
      } else {
        errors[static_cast<std::size_t>(i)] = fresh.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(emulator.refresh_calls() == 1);
  REQUIRE(emulator.issued_access_tokens().size() == 1);
  const auto renewed = emulator.issued_access_tokens()[0];
  for (int i = 0; i < kThreads; ++i) {
    INFO("thread " << i << ": " << errors[static_cast<std::size_t>(i)]);
    CHECK(tokens[static_cast<std::size_t>(i)] == renewed);
  }
  const auto stored = std::get<claw_host::OAuthCredential>(
      **claw_host::CredentialStore(file).get(claw_host::kPortalProfileId));
  CHECK(stored.access == renewed);
  CHECK(stored.refresh == emulator.issued_refresh_tokens().at(0));  // rotated
  CHECK(*stored.expires_at_ms > now_ms() + 3'000'000);
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("a token that is far from expiry is used without refreshing", "[oauth][refresh]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  TempDir state;
  const auto file = state.path() / "credentials.json";
  REQUIRE(claw_host::CredentialStore(file).put(claw_host::kPortalProfileId, planted(now_ms() + 3'600'000)));
  const claw_host::OAuthRefresher refresher(file, std::string(claw_host::kPortalProfileId),
                                            plugin.client(emulator));
  auto fresh = refresher.fresh();
  REQUIRE(fresh);
  CHECK(fresh->access == kPlantedAccess);
  CHECK(emulator.refresh_calls() == 0);
}

TEST_CASE("a refresh without a new refresh token keeps the old one", "[oauth][refresh]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.push_refresh({.rotate_refresh_token = false, .expires_in = 7200});
  TempDir state;
  const auto file = state.path() / "credentials.json";
  const auto base = "https://portal.example.test/v1";
  REQUIRE(claw_host::CredentialStore(file).put(claw_host::kPortalProfileId, planted(now_ms() - 1000, base)));
  const claw_host::OAuthRefresher refresher(file, std::string(claw_host::kPortalProfileId),
                                            plugin.client(emulator));
  auto fresh = refresher.fresh();
  REQUIRE(fresh);
  CHECK(emulator.refresh_calls() == 1);
  const auto stored = std::get<claw_host::OAuthCredential>(
      **claw_host::CredentialStore(file).get(claw_host::kPortalProfileId));
  CHECK(stored.access == emulator.issued_access_tokens().at(0));
  CHECK(stored.refresh == kPlantedRefresh);
  CHECK(*stored.expires_at_ms > now_ms() + 7'000'000);
  // The reply named the emulator as resource_url: the new API base.
  CHECK(stored.resource_url == "https://127.0.0.1:" + std::to_string(emulator.port()) + "/v1");
  const auto refresh = form_of(token_requests(emulator).at(0).body);
  CHECK(refresh.at("grant_type") == "refresh_token");
  CHECK(refresh.at("refresh_token") == kPlantedRefresh);
  CHECK(refresh.at("client_id") == "f0304373b74a44d2b584a3fb70ca9e56");
}

TEST_CASE("a refused refresh says to log in again and leaves the credential file untouched",
          "[oauth][refresh]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.push_refresh({.succeed = false});
  TempDir state;
  const auto file = state.path() / "credentials.json";
  REQUIRE(claw_host::CredentialStore(file).put(claw_host::kPortalProfileId, planted(now_ms() - 1000)));
  const auto before = openclaw_test::read_file(file);
  const claw_host::OAuthRefresher refresher(file, std::string(claw_host::kPortalProfileId),
                                            plugin.client(emulator));
  auto fresh = refresher.fresh();
  REQUIRE_FALSE(fresh);
  CHECK(fresh.error().code == OC_ERR_AUTH);
  CHECK(fresh.error().http_status == 400);
  CHECK_THAT(fresh.error().hint, Catch::Contains("claw-host login qwen-oauth"));
  CHECK_THAT(fresh.error().message + fresh.error().hint, Catch::Contains("og in again"));
  require_no_secrets(fresh.error().message + fresh.error().hint, {kPlantedAccess, kPlantedRefresh});
  CHECK(emulator.refresh_calls() == 1);
  CHECK(openclaw_test::read_file(file) == before);
}

TEST_CASE("after a refusal, a token someone else already renewed is used instead of refreshing again",
          "[oauth][refresh]") {
  LoadedPlugin plugin;
  de::Emulator emulator;
  TempDir state;
  const auto file = state.path() / "credentials.json";
  auto renewed = planted(now_ms() + 3'600'000);
  renewed.access = "qat-renewed-elsewhere-0123456789abcdef";
  REQUIRE(claw_host::CredentialStore(file).put(claw_host::kPortalProfileId, renewed));
  const claw_host::OAuthRefresher refresher(file, std::string(claw_host::kPortalProfileId),
                                            plugin.client(emulator));
  auto fresh = refresher.after_rejection(kPlantedAccess);
  REQUIRE(fresh);
  CHECK(fresh->access == renewed.access);
  CHECK(emulator.refresh_calls() == 0);
}

// ---- chat with a stored login --------------------------------------------------

TEST_CASE("chat with an expired Portal token refreshes it before sending", "[oauth][chat]") {
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  PortalState state(emulator, emulator.coding_base_url());
  state.plant(planted(now_ms() - 60'000));
  const auto result = state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "hello portal"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("hello portal"));
  CHECK(emulator.refresh_calls() == 1);
  const auto chats = emulator.requests("/v1/chat/completions");
  REQUIRE(chats.size() == 1);
  const auto renewed = emulator.issued_access_tokens().at(0);
  CHECK(chats[0].header("Authorization") == "Bearer " + renewed);
  CHECK(state.stored()->access == renewed);
  require_no_secrets(result.out + result.err, {kPlantedAccess, kPlantedRefresh, renewed});
}

TEST_CASE("chat refreshes once after the API refuses the token, then succeeds", "[oauth][chat]") {
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.deny_key(kPlantedAccess);  // revoked upstream before its expiry
  PortalState state(emulator, emulator.coding_base_url());
  state.plant(planted(now_ms() + 3'600'000));
  const auto result =
      state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "--no-stream", "still there?"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("still there?"));
  CHECK(emulator.refresh_calls() == 1);
  const auto chats = emulator.requests("/v1/chat/completions");
  REQUIRE(chats.size() == 2);
  CHECK(chats[0].header("Authorization") == std::string("Bearer ") + kPlantedAccess);
  CHECK(chats[1].header("Authorization") == "Bearer " + emulator.issued_access_tokens().at(0));
}

TEST_CASE("chat whose refresh is refused says to log in again and changes nothing", "[oauth][chat]") {
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.push_refresh({.succeed = false});
  PortalState state(emulator, emulator.coding_base_url());
  state.plant(planted(now_ms() - 60'000));
  const auto before = openclaw_test::read_file(state.credentials());
  const auto result = state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "hello"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("claw-host login qwen-oauth"));
  CHECK(emulator.requests("/v1/chat/completions").empty());
  CHECK(openclaw_test::read_file(state.credentials()) == before);
  require_no_secrets(result.out + result.err, {kPlantedAccess, kPlantedRefresh});
}

TEST_CASE("concurrent claw-host processes refresh a shared login once", "[oauth][chat][refresh]") {
  de::Emulator emulator;
  emulator.add_refresh_token(kPlantedRefresh);
  emulator.push_refresh({.delay = 300ms});
  PortalState state(emulator, emulator.coding_base_url());
  state.plant(planted(now_ms() - 60'000));
  constexpr int kProcesses = 4;
  std::vector<openclaw_test::ProcessResult> results(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<std::size_t>(i)] =
          state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "--no-stream", "hi " + std::to_string(i)});
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    INFO(result.err);
    CHECK(result.exit_code == 0);
  }
  CHECK(emulator.refresh_calls() == 1);
  const auto renewed = emulator.issued_access_tokens().at(0);
  for (const auto& chat : emulator.requests("/v1/chat/completions")) {
    CHECK(chat.header("Authorization") == "Bearer " + renewed);
  }
}

TEST_CASE("a pasted Portal token still works and is never refreshed", "[oauth][chat]") {
  de::Emulator emulator;
  PortalState state(emulator, emulator.coding_base_url());
  const std::string token = "pasted-portal-token-0123456789abcdef";
  const auto stored = openclaw_test::run_claw_host(
      state.path(), {"onboard", "--auth-choice", "qwen-oauth", "--api-key", "-"}, {}, token + "\n");
  REQUIRE(stored.exit_code == 0);
  // Onboarding writes the Portal's baseUrl; point chat back at the emulator.
  auto config = json::parse(openclaw_test::read_file(state.path() / "openclaw.json")).as_object();
  config["models"].as_object()["providers"].as_object()["qwen-oauth"].as_object()["baseUrl"] =
      emulator.coding_base_url();
  state.write_config(config);

  const auto ok = state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "--no-stream", "pasted"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(emulator.requests("/v1/chat/completions").at(0).header("Authorization") == "Bearer " + token);

  emulator.deny_key(token);
  const auto refused = state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "--no-stream", "pasted"});
  CHECK(refused.exit_code == 4);
  CHECK_THAT(refused.err, Catch::Contains("claw-host login qwen-oauth"));
  CHECK(emulator.refresh_calls() == 0);
  require_no_secrets(stored.out + stored.err + ok.out + ok.err + refused.out + refused.err, {token});
}

TEST_CASE("chat follows the login's resource_url over TLS when the config names no baseUrl",
          "[oauth][chat][tls]") {
  de::Emulator emulator({.tls = true});
  emulator.push_device_auth({.pending_replies = 0, .interval_seconds = 0});
  PortalState state(emulator);  // oauthBaseUrl only
  const std::map<std::string, std::string> trust{{"SSL_CERT_FILE", emulator.ca_cert_path()}};
  REQUIRE(state.run({"login", "qwen-oauth", "--no-browser"}, trust).exit_code == 0);
  const auto result = state.run({"chat", "--model", "qwen-oauth/qwen3.5-plus", "via resource_url"}, trust);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("via resource_url"));
  const auto chats = emulator.requests("/v1/chat/completions");
  REQUIRE(chats.size() == 1);
  CHECK(chats[0].header("Authorization") == "Bearer " + emulator.issued_access_tokens().at(0));
}
