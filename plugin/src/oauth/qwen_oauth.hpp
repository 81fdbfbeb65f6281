// The Qwen Portal OAuth flow as Qwen's own CLI uses it: RFC 8628 device
// authorization with PKCE against chat.qwen.ai, form-encoded, then the
// device-code and refresh-token grants. Public facts as data, plus the small
// pure pieces (form encoding, OAuth error bodies, token replies, the API base
// from resource_url) that device_login.cpp puts together.
#pragma once

#include "plugin_error.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace openclaw::qwen::oauth {

// Where the OAuth endpoints live. Overridable per user with
// models.providers["qwen-oauth"].oauthBaseUrl (an origin, eg the emulator's
// "http://127.0.0.1:8080"); the production default is exact.
inline constexpr std::string_view kDefaultOAuthBaseUrl = "https://chat.qwen.ai";
inline constexpr std::string_view kOAuthBaseUrlKey = "oauthBaseUrl";
inline constexpr std::string_view kDeviceCodePath = "/api/v1/oauth2/device/code";
inline constexpr std::string_view kTokenPath = "/api/v1/oauth2/token";

inline constexpr std::string_view kClientId = "f0304373b74a44d2b584a3fb70ca9e56";
inline constexpr std::string_view kScope = "openid profile email model.completion";
inline constexpr std::string_view kDeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code";
inline constexpr std::string_view kRefreshGrantType = "refresh_token";

// Poll interval when the device reply names none (Qwen's CLI uses 2 s), and
// the ceiling slow_down stretches it to.
inline constexpr std::uint32_t kDefaultPollIntervalMs = 2'000;
inline constexpr std::uint32_t kMaxSlowDownIntervalMs = 10'000;
// Device code lifetime when the reply names none.
inline constexpr std::int64_t kDefaultDeviceExpiresInSeconds = 600;

// The hint every "the login is gone" error carries.
inline constexpr std::string_view kLogInAgainHint = "Log in again: claw-host login qwen-oauth";

// The OAuth origin for this provider config: oauthBaseUrl, else the default.
// Fails when oauthBaseUrl is set but is not an http(s) origin.
Result<std::string> oauth_base_url(const boost::json::object& provider_config);

// application/x-www-form-urlencoded, keys and values percent-encoded.
std::string form_encode(const std::vector<std::pair<std::string_view, std::string_view>>& fields);

// The chat API base for a token reply's resource_url, as Qwen's CLI derives
// it: "portal.qwen.ai" -> "https://portal.qwen.ai/v1"; an explicit http(s)
// scheme is kept; "/v1" is appended unless present; empty -> the Portal
// default "https://portal.qwen.ai/v1".
std::string normalize_resource_url(std::string_view resource_url);

// The next poll interval after a slow_down: 1.5x, at most 10 s (an interval
// the server already set above 10 s is kept, never shortened).
std::uint32_t slowed_interval_ms(std::uint32_t current_ms);

// {"error","error_description"} of an OAuth error reply, when the body is one.
struct OAuthErrorBody {
  std::string error;        // eg "authorization_pending"; empty when the body is not OAuth-shaped
  std::string description;  // redacted and truncated
};
OAuthErrorBody parse_oauth_error(std::string_view body);

// Unix milliseconds now.
std::int64_t unix_ms_now();

// A token reply (device grant or refresh) as the ABI's token document:
// {"status":"success","access","refresh"?,"expiresAt"?,"resourceUrl"?,"tokenType"?}.
// `fallback_refresh`: written as "refresh" when the reply has none (a refresh
// keeps the old refresh token). `default_resource_url`: when true a reply
// without resource_url still gets the Portal default; a refresh leaves the
// key out so the host keeps the API base it has.
Result<boost::json::object> token_document(std::string_view body, std::string_view fallback_refresh,
                                           bool default_resource_url);

}  // namespace openclaw::qwen::oauth
