#include "net/proxy_config.hpp"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace openclaw::qwen::net {
namespace {

std::optional<std::string> first_set(const EnvLookup& env, std::initializer_list<std::string_view> names,
                                     std::string_view& chosen) {
  for (const std::string_view name : names) {
    if (auto value = env(name); value && !value->empty()) {
      chosen = name;
      return value;
    }
  }
  return std::nullopt;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Result<ProxyEndpoint, std::string> parse_proxy_value(std::string_view value, std::string_view variable) {
  const std::string var(variable);
  value = trim(value);
  std::string_view rest = value;
  if (const auto scheme_end = value.find("://"); scheme_end != std::string_view::npos) {
    std::string scheme(value.substr(0, scheme_end));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "http") {
      return fail(var + " uses an unsupported proxy scheme \"" + scheme +
                  "\"; only http:// proxies are supported");
    }
    rest = value.substr(scheme_end + 3);
  }
  // Credentials sit before the last '@' of the authority.
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  ProxyEndpoint endpoint;
  std::string_view host_port = authority;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    host_port = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    endpoint.username = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) endpoint.password = percent_decode(userinfo.substr(colon + 1));
  }
  auto parsed = Url::parse("http://" + std::string(host_port));
  if (!parsed) return fail(var + " is not a valid proxy URL (" + parsed.error() + ")");
  endpoint.host = parsed->host();
  endpoint.port = parsed->port();
  return endpoint;
}

bool parse_ipv4(std::string_view host, std::array<unsigned char, 4>& out) noexcept {
  const std::string text(host);
  return ::inet_pton(AF_INET, text.c_str(), out.data()) == 1;
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (const char* value = std::getenv(key.c_str())) return std::string(value);
    return std::nullopt;
  };
}

std::string ProxyEndpoint::display() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool is_loopback_host(std::string_view host) {
  const std::string h = normalize_host(host);
  if (h == "localhost" || (h.size() > 10 && h.ends_with(".localhost"))) return true;
  if (h == "::1") return true;
  std::array<unsigned char, 4> v4{};
  return parse_ipv4(h, v4) && v4[0] == 127;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::uint16_t port) {
  const std::string target = normalize_host(host);
  std::size_t pos = 0;
  while (pos < no_proxy.size()) {
    const auto end = no_proxy.find_first_of(", ", pos);
    std::string_view entry = no_proxy.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? no_proxy.size() : end + 1;
    entry = trim(entry);
    if (entry.empty()) continue;
    if (entry == "*") return true;

    // Split off an optional port; bracketed IPv6 keeps its colons.
    std::optional<std::uint16_t> entry_port;
    std::string_view entry_host = entry;
    if (entry.front() == '[') {
      const auto close = entry.find(']');
      if (close == std::string_view::npos) continue;
      entry_host = entry.substr(1, close - 1);
      const std::string_view tail = entry.substr(close + 1);
      if (tail.size() > 1 && tail.front() == ':') {
        unsigned value = 0;
        const auto [ptr, ec] = std::from_chars(tail.data() + 1, tail.data() + tail.size(), value);
        if (ec != std::errc{} || ptr != tail.data() + tail.size() || value > 65535) continue;
        entry_port = static_cast<std::uint16_t>(value);
      }
    } else if (const auto colon = entry.rfind(':');
               colon != std::string_view::npos && entry.find(':') == colon) {
      unsigned value = 0;
      const std::string_view digits = entry.substr(colon + 1);
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc{} || ptr != digits.data() + digits.size() || value > 65535) continue;
      entry_port = static_cast<std::uint16_t>(value);
      entry_host = entry.substr(0, colon);
    }
    if (entry_port && *entry_port != port) continue;

    if (entry_host.starts_with("*.")) entry_host.remove_prefix(2);
    else if (entry_host.starts_with(".")) entry_host.remove_prefix(1);
    const std::string suffix = normalize_host(entry_host);
    if (suffix.empty()) continue;
    if (target == suffix) return true;
    if (target.size() > suffix.size() && target.ends_with(suffix) &&
        target[target.size() - suffix.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

Result<std::optional<ProxyEndpoint>, std::string> resolve_proxy(const Url& target, const EnvLookup& env) {
  using Found = std::optional<ProxyEndpoint>;
  if (is_loopback_host(target.host())) return Found{};

  std::string_view variable;
  const auto value = target.is_https()
                         ? first_set(env, {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}, variable)
                         : first_set(env, {"HTTP_PROXY", "http_proxy"}, variable);
  if (!value) return Found{};

  std::string_view no_proxy_variable;
  if (const auto no_proxy = first_set(env, {"NO_PROXY", "no_proxy"}, no_proxy_variable);
      no_proxy && no_proxy_matches(*no_proxy, target.host(), target.port())) {
    return Found{};
  }

  auto endpoint = parse_proxy_value(*value, variable);
  if (!endpoint) return fail(std::move(endpoint).error());
  return Found{std::move(endpoint).value()};
}

}  // namespace openclaw::qwen::net
