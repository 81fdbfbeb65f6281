#include "net/url.hpp"

#include <catch2/catch.hpp>

using namespace openclaw::qwen::net;

TEST_CASE("Url parses the DashScope base URLs", "[url]") {
  auto url = Url::parse("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
  REQUIRE(url.ok());
  CHECK(url->scheme() == "https");
  CHECK(url->host() == "dashscope-intl.aliyuncs.com");
  CHECK(url->port() == 443);
  CHECK(url->path() == "/compatible-mode/v1");
  CHECK(url->origin() == "https://dashscope-intl.aliyuncs.com");
  CHECK(url->to_string() == "https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
}

TEST_CASE("Url normalises scheme and host case, a trailing dot and trailing slashes", "[url]") {
  auto url = Url::parse("  HTTPS://Coding.DashScope.AliyunCS.com./v1/  ");
  REQUIRE(url.ok());
  CHECK(url->scheme() == "https");
  CHECK(url->host() == "coding.dashscope.aliyuncs.com");
  CHECK(url->path() == "/v1");
  CHECK(url->to_string() == "https://coding.dashscope.aliyuncs.com/v1");
}

TEST_CASE("Url defaults the port by scheme and keeps explicit ones", "[url]") {
  CHECK(Url::parse("http://example.com")->port() == 80);
  CHECK(Url::parse("https://example.com")->port() == 443);
  auto custom = Url::parse("http://127.0.0.1:8080/v1");
  REQUIRE(custom.ok());
  CHECK(custom->port() == 8080);
  CHECK(custom->origin() == "http://127.0.0.1:8080");
  // An explicit default port is dropped from the origin.
  CHECK(Url::parse("https://example.com:443/x")->origin() == "https://example.com");
  CHECK(Url::parse("http://example.com:/x")->port() == 80);
}

TEST_CASE("Url handles bracketed IPv6 literals", "[url]") {
  auto url = Url::parse("http://[::1]:18080/compatible-mode/v1");
  REQUIRE(url.ok());
  CHECK(url->host() == "::1");
  CHECK(url->is_ipv6_literal());
  CHECK(url->port() == 18080);
  CHECK(url->host_for_authority() == "[::1]");
  CHECK(url->origin() == "http://[::1]:18080");
  CHECK(Url::parse("https://[2001:DB8::1]/")->host() == "2001:db8::1");
}

TEST_CASE("Url keeps the query and builds request targets", "[url]") {
  auto url = Url::parse("https://example.com/api?version=2");
  REQUIRE(url.ok());
  CHECK(url->path() == "/api");
  CHECK(url->query() == "version=2");
  CHECK(url->target() == "/api?version=2");
  CHECK(Url::parse("https://example.com")->target() == "/");
  CHECK(Url::parse("https://example.com?a=b")->to_string() == "https://example.com/?a=b");
}

TEST_CASE("Url::join appends a path with exactly one slash", "[url]") {
  auto base = Url::parse("https://dashscope.aliyuncs.com/compatible-mode/v1/");
  REQUIRE(base.ok());
  CHECK(base->join("chat/completions").to_string() ==
        "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions");
  CHECK(base->join("/chat/completions").to_string() ==
        "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions");
  auto root = Url::parse("https://dashscope.aliyuncs.com");
  CHECK(root->join("/api/v1/tasks/abc").target() == "/api/v1/tasks/abc");
  CHECK(root->join("").target() == "/");
  auto with_query = Url::parse("https://h/v1?key=1");
  CHECK(with_query->join("models?page=2").target() == "/v1/models?key=1&page=2");
}

TEST_CASE("Url rejects what it cannot safely use, with a reason", "[url]") {
  const auto error_of = [](std::string_view text) {
    auto url = Url::parse(text);
    REQUIRE_FALSE(url.ok());
    return url.error();
  };
  CHECK(error_of("").find("empty") != std::string::npos);
  CHECK(error_of("dashscope.aliyuncs.com/v1").find("no scheme") != std::string::npos);
  CHECK(error_of("ftp://example.com").find("unsupported URL scheme") != std::string::npos);
  CHECK(error_of("https:///v1").find("no host") != std::string::npos);
  CHECK(error_of("https://exa mple.com").find("spaces") != std::string::npos);
  CHECK(error_of("https://example.com:0").find("invalid port") != std::string::npos);
  CHECK(error_of("https://example.com:65536").find("invalid port") != std::string::npos);
  CHECK(error_of("https://example.com:12ab").find("invalid port") != std::string::npos);
  CHECK(error_of("https://a..b.com").find("invalid host") != std::string::npos);
  CHECK(error_of("https://exa!mple.com").find("invalid host") != std::string::npos);
  CHECK(error_of("http://::1/v1").find("brackets") != std::string::npos);
  CHECK(error_of("http://[::1/v1").find("unterminated") != std::string::npos);
  CHECK(error_of("http://[not-v6]/").find("invalid IPv6") != std::string::npos);
  CHECK(error_of("https://example.com/v1#frag").find("fragment") != std::string::npos);
  CHECK(error_of("https://dashscope.aliyuncs.com\xC3\xA9/v1").find("non-ASCII") != std::string::npos);
}

TEST_CASE("Url never echoes user credentials in its error", "[url]") {
  auto url = Url::parse("https://user:hunter2@example.com/v1");
  REQUIRE_FALSE(url.ok());
  CHECK(url.error().find("credentials") != std::string::npos);
  CHECK(url.error().find("hunter2") == std::string::npos);
}

