#include "claw_host/credential_store.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "claw_host/redact.hpp"
#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::TempDir;

namespace {

constexpr const char* kSecret = "sk-0123456789abcdefSECRET";

ApiKeyCredential qwen_key(std::string key = kSecret) { return ApiKeyCredential{"qwen", std::move(key)}; }

int wait_for(pid_t child) {
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("put and get round-trip both credential kinds", "[credential_store]") {
  TempDir tmp;
  CredentialStore store(tmp / "credentials.json");
  REQUIRE(store.put("qwen:default", qwen_key()));
  REQUIRE(store.put("qwen-oauth:default", OAuthCredential{"qwen-oauth", "access-token", "refresh-token", 1767225600000,
                                                          "https://portal.qwen.ai/v1"}));

  auto key = store.get("qwen:default");
  REQUIRE(key);
  REQUIRE(*key);
  REQUIRE(std::holds_alternative<ApiKeyCredential>(**key));
  CHECK(std::get<ApiKeyCredential>(**key).key == kSecret);
  CHECK(credential_provider(**key) == "qwen");

  auto oauth = store.get("qwen-oauth:default");
  REQUIRE(oauth);
  REQUIRE(*oauth);
  const auto& token = std::get<OAuthCredential>(**oauth);
  CHECK(token.access == "access-token");
  CHECK(token.refresh == "refresh-token");
  CHECK(token.expires_at_ms == 1767225600000);
  CHECK(token.resource_url == "https://portal.qwen.ai/v1");

  auto missing = store.get("other:default");
  REQUIRE(missing);
  CHECK_FALSE(*missing);
  CHECK(*store.profile_ids() == std::vector<std::string>{"qwen:default", "qwen-oauth:default"});
}

TEST_CASE("the file has the documented format and mode 0600", "[credential_store]") {
  TempDir tmp;
  CredentialStore store(tmp / "state/credentials.json");
  REQUIRE(store.put("qwen:default", qwen_key("sk-abc")));
  CHECK(test::file_mode(tmp / "state/credentials.json") == 0600);
  CHECK(test::file_mode(tmp / "state") == 0700);
  CHECK(test::read_file(tmp / "state/credentials.json") ==
        "{\n  \"version\": 1,\n  \"profiles\": {\n    \"qwen:default\": {\n      \"provider\": \"qwen\",\n"
        "      \"kind\": \"api_key\",\n      \"key\": \"sk-abc\"\n    }\n  }\n}\n");
}

TEST_CASE("remove deletes one profile and keeps the others", "[credential_store]") {
  TempDir tmp;
  CredentialStore store(tmp / "credentials.json");
  REQUIRE(store.put("qwen:default", qwen_key()));
  REQUIRE(store.put("modelstudio:default", qwen_key("sk-legacy")));
  auto removed = store.remove("qwen:default");
  REQUIRE(removed);
  CHECK(*removed);
  auto again = store.remove("qwen:default");
  REQUIRE(again);
  CHECK_FALSE(*again);
  CHECK(*store.profile_ids() == std::vector<std::string>{"modelstudio:default"});
}

TEST_CASE("unknown profiles and fields are preserved across updates", "[credential_store]") {
  TempDir tmp;
  test::write_file(
      tmp / "credentials.json",
      R"({"version": 1, "note": "from a newer host", "profiles": {"future:x": {"provider": "f", "kind": "passkey", "blob": 1}}})",
      0600);
  CredentialStore store(tmp / "credentials.json");
  REQUIRE(store.put("qwen:default", qwen_key()));
  const auto text = test::read_file(tmp / "credentials.json");
  CHECK_THAT(text, Catch::Contains("\"note\": \"from a newer host\"") && Catch::Contains("\"kind\": \"passkey\""));
  auto unknown = store.get("future:x");
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("upgrade claw-host"));
}

TEST_CASE("update sees the stored credential and may leave the file untouched", "[credential_store]") {
  TempDir tmp;
  CredentialStore store(tmp / "credentials.json");
  REQUIRE(store.put("qwen-oauth:default", OAuthCredential{"qwen-oauth", "old", "r", 1000, ""}));
  auto refreshed = store.update("qwen-oauth:default", [](const std::optional<Credential>& current) {
    auto token = std::get<OAuthCredential>(*current);
    token.access = "new";
    token.expires_at_ms = 2000;
    return std::optional<Credential>(token);
  });
  REQUIRE(refreshed);
  CHECK(std::get<OAuthCredential>(**refreshed).access == "new");
  const auto before = test::read_file(tmp / "credentials.json");
  auto untouched =
      store.update("qwen-oauth:default", [](const std::optional<Credential>&) { return std::optional<Credential>(); });
  REQUIRE(untouched);
  CHECK(std::get<OAuthCredential>(**untouched).access == "new");
  CHECK(test::read_file(tmp / "credentials.json") == before);
}

TEST_CASE("a group- or world-readable store is tightened to 0600 with a notice", "[credential_store]") {
  TempDir tmp;
  CredentialStore writer(tmp / "credentials.json");
  REQUIRE(writer.put("qwen:default", qwen_key()));
  ::chmod((tmp / "credentials.json").c_str(), 0644);

  CredentialStore store(tmp / "credentials.json");
  auto key = store.get("qwen:default");
  REQUIRE(key);
  CHECK(test::file_mode(tmp / "credentials.json") == 0600);
  auto notices = store.take_notices();
  REQUIRE(notices.size() == 1);
  CHECK_THAT(notices[0], Catch::Contains("mode 0644") && Catch::Contains("changed it to 0600"));
  CHECK_THAT(notices[0], !Catch::Contains(kSecret));
  CHECK(store.take_notices().empty());
}

TEST_CASE("a crash between writing and renaming leaves the old store intact and usable", "[credential_store][crash]") {
  TempDir tmp;
  CredentialStore store(tmp / "credentials.json");
  REQUIRE(store.put("qwen:default", qwen_key("sk-old-key-000000000")));
  const auto before = test::read_file(tmp / "credentials.json");

  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    CredentialStoreOptions options;
    options.before_commit_for_tests = [] { ::_exit(42); };  // dies with the new file written but not renamed
    CredentialStore crashing(tmp / "credentials.json", options);
    (void)crashing.put("qwen:default", qwen_key("sk-new-key-111111111"));
    ::_exit(1);
  }
  REQUIRE(wait_for(child) == 42);

  CHECK(test::read_file(tmp / "credentials.json") == before);
  CHECK(test::list_dir(tmp.path()).size() == 3);  // store, lock file, the dead writer's temp file
  auto key = store.get("qwen:default");
  REQUIRE(key);
  CHECK(std::get<ApiKeyCredential>(**key).key == "sk-old-key-000000000");

  // The next writer cleans up the leftover temp file.
  REQUIRE(store.put("qwen:default", qwen_key("sk-newer-key-22222222")));
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"credentials.json", "credentials.json.lock"});
}

TEST_CASE("two processes storing different profiles keep each other's writes", "[credential_store][concurrency]") {
  TempDir tmp;
  constexpr int kProcesses = 4;
  constexpr int kPutsEach = 6;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      CredentialStore store(tmp / "credentials.json");
      bool ok = true;
      for (int i = 0; i < kPutsEach; ++i) {
        ok = ok && store
                       .put("p" + std::to_string(p) + ":" + std::to_string(i),
                            qwen_key("sk-" + std::to_string(p) + "-" + std::to_string(i)))
                       .has_value();
      }
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(child);
  }
  for (pid_t child : children) CHECK(wait_for(child) == 0);

  CredentialStore store(tmp / "credentials.json");
  auto ids = store.profile_ids();
  REQUIRE(ids);
  CHECK(ids->size() == static_cast<std::size_t>(kProcesses * kPutsEach));
}

TEST_CASE("a malformed store is reported with line and column and never overwritten", "[credential_store]") {
  TempDir tmp;
  const std::string broken = std::string(
                                 "{\"version\": 1, \"profiles\": {\"qwen:default\": {\"provider\": \"qwen\", "
                                 "\"kind\": \"api_key\", \"key\": \"") +
                             kSecret + "\"\n";
  test::write_file(tmp / "credentials.json", broken, 0600);
  CredentialStore store(tmp / "credentials.json");

  auto get = store.get("qwen:default");
  REQUIRE_FALSE(get);
  CHECK(get.error().code == ErrorCode::parse_error);
  CHECK_THAT(get.error().message, Catch::StartsWith((tmp / "credentials.json").string() + ":2:1:") &&
                                      Catch::Contains("left unchanged") && Catch::Contains("claw-host onboard"));

  auto put = store.put("qwen:default", qwen_key("sk-replacement-000000"));
  REQUIRE_FALSE(put);
  CHECK(test::read_file(tmp / "credentials.json") == broken);
}

TEST_CASE("no key or token appears in any error message", "[credential_store][secrets]") {
  TempDir tmp;
  const std::string secret = kSecret;
  std::vector<std::string> messages;
  auto collect = [&](const std::string& file_text, const std::string& profile) {
    test::write_file(tmp / "credentials.json", file_text, 0600);
    auto got = CredentialStore(tmp / "credentials.json").get(profile);
    REQUIRE_FALSE(got);
    messages.push_back(got.error().message);
  };
  collect("{\"profiles\": {\"q:d\": {\"provider\": \"qwen\", \"kind\": \"api_key\", \"key\": " + secret + "}}}", "q:d");
  collect("{\"profiles\": {\"q:d\": {\"provider\": \"qwen\", \"kind\": \"api_key\", \"key\": [\"" + secret + "\"]}}}",
          "q:d");
  collect("{\"profiles\": {\"q:d\": {\"provider\": \"qwen\", \"kind\": \"" + secret + "\"}}}", "q:d");
  collect("{\"profiles\": {\"q:d\": {\"provider\": \"qwen\", \"kind\": \"oauth\", \"access\": \"" + secret +
              "\", \"expiresAt\": \"soon\"}}}",
          "q:d");
  collect("{\"version\": 2, \"profiles\": {\"q:d\": {\"key\": \"" + secret + "\"}}}", "q:d");
  collect("{\"profiles\": {\"q:d\": {\"key\": \"" + secret + "\"", "q:d");

  CredentialStore store(tmp / "fresh.json");
  for (const auto& bad : {Credential{ApiKeyCredential{"qwen", ""}}, Credential{ApiKeyCredential{"", secret}}}) {
    auto put = store.put("qwen:default", bad);
    REQUIRE_FALSE(put);
    messages.push_back(put.error().message);
  }
  auto bad_id = store.put(secret + "\n", qwen_key());
  REQUIRE_FALSE(bad_id);
  messages.push_back(bad_id.error().message);

  for (const auto& message : messages) {
    INFO(message);
    CHECK_THAT(message, !Catch::Contains(secret.substr(3)));
  }
}

TEST_CASE("a store from a newer format version is refused with an upgrade hint", "[credential_store]") {
  TempDir tmp;
  test::write_file(tmp / "credentials.json", R"({"version": 2, "profiles": {}})", 0600);
  CredentialStore store(tmp / "credentials.json");
  auto got = store.get("qwen:default");
  REQUIRE_FALSE(got);
  CHECK_THAT(got.error().message, Catch::Contains("format version 2") && Catch::Contains("upgrade claw-host"));
  REQUIRE_FALSE(store.put("qwen:default", qwen_key()));
}

TEST_CASE("redact shows at most a type prefix and the last 4 characters", "[redact][secrets]") {
  CHECK(redact("sk-0123456789abcdef1234") ==
        "sk-\xE2\x80\xA6"
        "1234");
  CHECK(redact("sk-sp-0123456789abcdef9876") ==
        "sk-sp-\xE2\x80\xA6"
        "9876");
  CHECK(redact("eyJhbGciOiJIUzI1NiJ9.payload.sig") ==
        "\xE2\x80\xA6"
        ".sig");
  CHECK(redact("short-secret") == "\xE2\x80\xA6");
  CHECK(redact("sk-short") == "\xE2\x80\xA6");
  CHECK(redact("") == "(empty)");
}
