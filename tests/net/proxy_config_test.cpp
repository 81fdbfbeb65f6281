#include "net/proxy_config.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace openclaw::qwen::net;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    if (auto it = vars.find(std::string(name)); it != vars.end()) return it->second;
    return std::nullopt;
  };
}

Url url(std::string_view text) { return Url::parse(text).value(); }

}  // namespace

TEST_CASE("No proxy variables means a direct connection", "[proxy]") {
  auto proxy = resolve_proxy(url("https://dashscope.aliyuncs.com/v1"), env_of({}));
  REQUIRE(proxy.ok());
  CHECK_FALSE(proxy->has_value());
}

TEST_CASE("HTTPS targets use HTTPS_PROXY first, then https_proxy, then HTTP_PROXY", "[proxy]") {
  const auto target = url("https://dashscope.aliyuncs.com/v1");
  auto both = resolve_proxy(target, env_of({{"HTTPS_PROXY", "http://secure:3128"}, {"HTTP_PROXY", "http://plain:8080"}}));
  REQUIRE(both.ok());
  REQUIRE(both->has_value());
  CHECK((*both)->host == "secure");
  CHECK((*both)->port == 3128);

  auto lower = resolve_proxy(target, env_of({{"https_proxy", "lower:1234"}}));
  REQUIRE(lower.ok());
  CHECK((*lower)->host == "lower");
  CHECK((*lower)->port == 1234);

  auto fallback = resolve_proxy(target, env_of({{"HTTP_PROXY", "http://plain:8080"}}));
  REQUIRE(fallback.ok());
  CHECK((*fallback)->host == "plain");

  auto empty = resolve_proxy(target, env_of({{"HTTPS_PROXY", ""}, {"HTTP_PROXY", "http://plain:8080"}}));
  CHECK((*empty)->host == "plain");
}

TEST_CASE("HTTP targets ignore HTTPS_PROXY", "[proxy]") {
  auto proxy = resolve_proxy(url("http://example.com/"), env_of({{"HTTPS_PROXY", "http://secure:3128"}}));
  REQUIRE(proxy.ok());
  CHECK_FALSE(proxy->has_value());
}

TEST_CASE("Proxy URLs may carry percent-encoded credentials; display() hides them", "[proxy]") {
  auto proxy = resolve_proxy(url("https://dashscope.aliyuncs.com/"),
                             env_of({{"HTTPS_PROXY", "http://al%69ce:p%40ss:word@Proxy.Corp:8080/"}}));
  REQUIRE(proxy.ok());
  REQUIRE(proxy->has_value());
  CHECK((*proxy)->username == "alice");
  CHECK((*proxy)->password == "p@ss:word");
  CHECK((*proxy)->host == "proxy.corp");
  CHECK((*proxy)->display() == "http://proxy.corp:8080");
  // Without a port an http proxy listens on 80.
  auto no_port = resolve_proxy(url("https://x.com/"), env_of({{"HTTPS_PROXY", "http://proxy.corp"}}));
  CHECK((*no_port)->port == 80);
}

TEST_CASE("Unsupported or malformed proxy settings are errors that hide the value", "[proxy]") {
  auto socks = resolve_proxy(url("https://x.com/"), env_of({{"HTTPS_PROXY", "socks5://u:secret@h:1080"}}));
  REQUIRE_FALSE(socks.ok());
  CHECK(socks.error().find("HTTPS_PROXY") != std::string::npos);
  CHECK(socks.error().find("secret") == std::string::npos);
  auto tls_proxy = resolve_proxy(url("https://x.com/"), env_of({{"https_proxy", "https://proxy:443"}}));
  REQUIRE_FALSE(tls_proxy.ok());
  CHECK(tls_proxy.error().find("https_proxy") != std::string::npos);
  auto garbage = resolve_proxy(url("https://x.com/"), env_of({{"HTTPS_PROXY", "http://u:secret@:99999"}}));
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().find("secret") == std::string::npos);
}

TEST_CASE("NO_PROXY exempts matching hosts", "[proxy]") {
  const auto env = env_of({{"HTTPS_PROXY", "http://proxy:3128"}, {"NO_PROXY", "internal.corp, .aliyuncs.com"}});
  auto exempt = resolve_proxy(url("https://dashscope.aliyuncs.com/"), env);
  REQUIRE(exempt.ok());
  CHECK_FALSE(exempt->has_value());
  auto proxied = resolve_proxy(url("https://portal.qwen.ai/"), env);
  REQUIRE(proxied.ok());
  CHECK(proxied->has_value());
  auto lower = resolve_proxy(url("https://portal.qwen.ai/"),
                             env_of({{"HTTPS_PROXY", "http://proxy:3128"}, {"no_proxy", "qwen.ai"}}));
  CHECK_FALSE(lower->has_value());
}

TEST_CASE("Loopback targets never use a proxy", "[proxy]") {
  const auto env = env_of({{"HTTPS_PROXY", "http://proxy:3128"}, {"HTTP_PROXY", "http://proxy:3128"}});
  CHECK_FALSE(resolve_proxy(url("http://127.0.0.1:8080/"), env)->has_value());
  CHECK_FALSE(resolve_proxy(url("https://localhost:8443/"), env)->has_value());
  CHECK_FALSE(resolve_proxy(url("http://[::1]:8080/"), env)->has_value());
  CHECK(resolve_proxy(url("http://128.0.0.1/"), env)->has_value());
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("api.localhost"));
  CHECK_FALSE(is_loopback_host("localhost.evil.com"));
}

TEST_CASE("NO_PROXY matching follows the common conventions", "[proxy]") {
  CHECK(no_proxy_matches("*", "anything.example", 443));
  CHECK(no_proxy_matches("example.com", "example.com", 443));
  CHECK(no_proxy_matches("example.com", "api.example.com", 443));
  CHECK(no_proxy_matches(".example.com", "example.com", 443));
  CHECK(no_proxy_matches("*.example.com", "api.example.com", 443));
  CHECK(no_proxy_matches("EXAMPLE.com.", "Api.Example.COM", 443));
  CHECK_FALSE(no_proxy_matches("example.com", "notexample.com", 443));
  CHECK_FALSE(no_proxy_matches("api.example.com", "example.com", 443));
  CHECK(no_proxy_matches("example.com:443", "example.com", 443));
  CHECK_FALSE(no_proxy_matches("example.com:8443", "example.com", 443));
  CHECK(no_proxy_matches("10.0.0.5", "10.0.0.5", 80));
  CHECK(no_proxy_matches("[2001:db8::1]:443", "2001:db8::1", 443));
  CHECK(no_proxy_matches("2001:db8::1", "2001:db8::1", 443));
  CHECK(no_proxy_matches("a.com b.com,,c.com", "b.com", 443));
  CHECK_FALSE(no_proxy_matches("", "example.com", 443));
  CHECK_FALSE(no_proxy_matches(" , ", "example.com", 443));
}
