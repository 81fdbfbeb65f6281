// Proxy selection from the standard environment variables.
//
// A gateway behind a corporate proxy sets HTTPS_PROXY / NO_PROXY for every
// tool on the machine; the plugin follows the same conventions so it works
// there without extra config. Only plain-HTTP proxies are supported (HTTPS
// is tunnelled through them with CONNECT), which is what those variables
// almost always name.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/result.hpp"
#include "net/url.hpp"

namespace openclaw::qwen::net {

// Reads one environment variable; nullopt when unset. Injected so tests
// never have to mutate the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Looks variables up in the real process environment.
EnvLookup process_environment();

struct ProxyEndpoint {
  std::string host;  // normalised; IPv6 without brackets
  std::uint16_t port = 0;
  std::string username;  // percent-decoded; empty when none
  std::string password;

  // "http://host:port" for messages: never includes the credentials.
  std::string display() const;
};

// The proxy to use for `target`, or nullopt to connect directly.
//  - https targets read HTTPS_PROXY, https_proxy, then HTTP_PROXY, http_proxy;
//    http targets read HTTP_PROXY, then http_proxy. Empty values are unset.
//  - NO_PROXY / no_proxy (see no_proxy_matches) exempts hosts.
//  - Loopback targets (localhost, 127.0.0.0/8, ::1) always go direct, so a
//    local emulator keeps working inside a proxied environment.
// The error text names the variable but never echoes its value, which may
// carry a password.
Result<std::optional<ProxyEndpoint>, std::string> resolve_proxy(const Url& target, const EnvLookup& env);

// NO_PROXY matching: a comma- or space-separated list; `*` matches every
// host; `example.com`, `.example.com` and `*.example.com` all match
// example.com and any subdomain of it; an entry with `:port` only matches
// that port; IPv6 entries may be bracketed. Case-insensitive, trailing dots
// ignored. CIDR ranges are not supported.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::uint16_t port);

// True for localhost, *.localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

}  // namespace openclaw::qwen::net
