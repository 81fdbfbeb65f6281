#include "net/url.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>

namespace openclaw::qwen::net {
namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;

char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Control characters, spaces and non-ASCII bytes never belong in a URL we
// send; rejecting them early avoids request smuggling through config values.
bool has_forbidden_url_char(std::string_view text) noexcept {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return true;
  }
  return false;
}

bool is_valid_dns_name(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label_length = 0;
  for (char c : host) {
    if (c == '.') {
      if (label_length == 0) return false;
      label_length = 0;
      continue;
    }
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed || ++label_length > 63) return false;
  }
  return label_length > 0;
}

bool is_ipv6_address(const std::string& text) noexcept {
  std::array<unsigned char, 16> buffer{};
  return ::inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1;
}

std::string_view strip_leading_slashes(std::string_view text) noexcept {
  while (!text.empty() && text.front() == '/') text.remove_prefix(1);
  return text;
}

std::string_view strip_trailing_slashes(std::string_view text) noexcept {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string normalize_host(std::string_view host) {
  std::string out = to_lower(host);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}


Result<Url, std::string> Url::parse(std::string_view text) {
  text = trim(text);
  if (text.empty()) return fail(std::string("URL is empty"));
  if (has_forbidden_url_char(text)) {
    return fail(std::string("URL contains spaces, control characters or non-ASCII characters"));
  }

  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return fail(std::string("URL has no scheme; expected it to start with https:// or http://"));
  }
  Url url;
  url.scheme_ = to_lower(text.substr(0, scheme_end));
  if (url.scheme_ != "http" && url.scheme_ != "https") {
    return fail("unsupported URL scheme \"" + url.scheme_ + "\"; expected https or http");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    return fail(std::string("URL must not contain a fragment ('#')"));
  }

  const auto authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view after_authority =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  // Deliberately do not echo the authority: it may hold a password.
  if (authority.find('@') != std::string_view::npos) {
    return fail(std::string("URL must not contain user credentials (user@host)"));
  }

  std::string_view host_part;
  std::string_view port_part;
  bool has_port = false;
  bool bracketed = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return fail(std::string("URL has an unterminated IPv6 address ('[' without ']')"));
    }
    host_part = authority.substr(1, close - 1);
    bracketed = true;
    const std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':') return fail(std::string("URL has unexpected characters after the IPv6 address"));
      has_port = true;
      port_part = tail.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    host_part = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_part = authority.substr(colon + 1);
      if (port_part.find(':') != std::string_view::npos) {
        return fail(std::string("URL host has several ':'; write IPv6 addresses in brackets, e.g. http://[::1]:8080"));
      }
    }
  }

  if (host_part.empty()) return fail(std::string("URL has no host"));
  if (bracketed) {
    url.host_ = to_lower(host_part);
    if (!is_ipv6_address(url.host_)) return fail("invalid IPv6 address \"" + url.host_ + "\" in URL");
  } else {
    url.host_ = normalize_host(host_part);
    if (!is_valid_dns_name(url.host_)) {
      return fail("invalid host \"" + std::string(host_part) + "\" in URL");
    }
  }

  url.port_ = url.scheme_ == "https" ? kHttpsPort : kHttpPort;
  if (has_port && !port_part.empty()) {
    unsigned value = 0;
    const auto* first = port_part.data();
    const auto* last = first + port_part.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || ptr != last || value == 0 || value > 65535) {
      return fail("invalid port \"" + std::string(port_part) + "\" in URL; expected 1-65535");
    }
    url.port_ = static_cast<std::uint16_t>(value);
  }

  const auto query_start = after_authority.find('?');
  const std::string_view path = after_authority.substr(0, query_start);
  url.path_ = std::string(strip_trailing_slashes(path));
  if (query_start != std::string_view::npos) url.query_ = std::string(after_authority.substr(query_start + 1));
  return url;
}

bool Url::is_ipv6_literal() const noexcept { return host_.find(':') != std::string::npos; }

bool Url::has_default_port() const noexcept {
  return port_ == (is_https() ? kHttpsPort : kHttpPort);
}

std::string Url::host_for_authority() const {
  return is_ipv6_literal() ? "[" + host_ + "]" : host_;
}

std::string Url::origin() const {
  std::string out = scheme_ + "://" + host_for_authority();
  if (!has_default_port()) out += ":" + std::to_string(port_);
  return out;
}

std::string Url::target() const {
  std::string out = path_.empty() ? std::string("/") : path_;
  if (!query_.empty()) out += "?" + query_;
  return out;
}

std::string Url::to_string() const {
  std::string out = origin() + path_;
  if (!query_.empty()) out += (path_.empty() ? "/?" : "?") + query_;
  return out;
}

Url Url::join(std::string_view relative) const {
  Url out = *this;
  const auto query_start = relative.find('?');
  const std::string_view relative_path = strip_leading_slashes(relative.substr(0, query_start));
  if (!relative_path.empty()) {
    out.path_ += '/';
    out.path_ += relative_path;
  }
  if (query_start != std::string_view::npos) {
    const std::string_view relative_query = relative.substr(query_start + 1);
    if (!relative_query.empty()) {
      if (!out.query_.empty()) out.query_ += '&';
      out.query_ += relative_query;
    }
  }
  return out;
}

}  // namespace openclaw::qwen::net
