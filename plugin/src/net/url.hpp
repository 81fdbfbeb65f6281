// Parsing of the http(s) base URLs the plugin talks to.
//
// Base URLs come from user config (`models.providers.qwen.baseUrl`) and from
// server replies (the Portal's `resource_url`), so parsing is strict and
// reports a readable reason instead of guessing. Only what an HTTP client
// needs is kept: scheme, host, port, path prefix and query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/result.hpp"

namespace openclaw::qwen::net {

class Url {
 public:
  // Accepts `http://` and `https://` URLs (scheme case-insensitive).
  // The host is lowercased with any trailing dot removed; an IPv6 literal is
  // written in brackets in the URL and stored without them. User info
  // (`user:pass@`) and fragments are rejected: credentials never travel in a
  // URL here, and a fragment in a base URL is always a mistake.
  static Result<Url, std::string> parse(std::string_view text);

  const std::string& scheme() const noexcept { return scheme_; }
  const std::string& host() const noexcept { return host_; }
  std::uint16_t port() const noexcept { return port_; }
  // Path without a trailing slash; empty for the root ("https://h/" -> "").
  const std::string& path() const noexcept { return path_; }
  // Query without the leading '?'; usually empty.
  const std::string& query() const noexcept { return query_; }

  bool is_https() const noexcept { return scheme_ == "https"; }
  bool is_ipv6_literal() const noexcept;
  bool has_default_port() const noexcept;

  // The host as it appears in a URL authority: IPv6 literals in brackets.
  std::string host_for_authority() const;
  // "scheme://host[:port]", the port only when it is not the scheme's default.
  std::string origin() const;
  // The request target for the HTTP request line: path (at least "/") plus
  // "?query" when there is one.
  std::string target() const;
  // The full URL, normalised (lowercase scheme and host, no default port).
  std::string to_string() const;

  // Appends a path below this URL's path with exactly one '/' between them:
  // Url("https://h/compatible-mode/v1").join("chat/completions") and
  // .join("/chat/completions") both give ".../compatible-mode/v1/chat/completions".
  // A '?query' in `relative` becomes the query, after this URL's own query.
  Url join(std::string_view relative) const;

 private:
  std::string scheme_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::string path_;
  std::string query_;
};

// Lowercases a host name and removes one trailing dot, so that
// "DashScope.AliyunCS.com." compares equal to "dashscope.aliyuncs.com".
std::string normalize_host(std::string_view host);

}  // namespace openclaw::qwen::net
