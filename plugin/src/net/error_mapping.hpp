// Maps HTTP and transport failures to the plugin's small, stable error set.
//
// The host shows these errors to users and decides retries from them, so
// each carries a readable message, a hint when there is something to do
// about it, and what the upstream said (message, code, request id) for
// support tickets. Nothing secret ever ends up in them: upstream text is
// scrubbed of API keys and bearer tokens (keeping at most `sk-…last4`) and
// huge bodies are truncated.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace openclaw::qwen::net {

enum class ErrorKind {
  Auth,                    // 401/403, invalid or unauthorised key, account not in good standing
  RateLimited,             // 429; see retry_after
  ModelUnsupportedOnPlan,  // the Coding Plan endpoint does not serve this model
  BadRequest,              // 400/404/413/422 and other client errors
  Upstream,                // 5xx and unexpected replies
  Timeout,
  Cancelled,
  Network,
  Tls,
};

// Stable lowercase ids: "auth", "rate-limited", "model-unsupported-on-plan",
// "bad-request", "upstream", "timeout", "cancelled", "network", "tls".
std::string_view to_string(ErrorKind kind) noexcept;

struct ApiError {
  ErrorKind kind = ErrorKind::Upstream;
  std::string message;  // one readable sentence, already redacted
  std::string hint;     // what the user can do; may be empty
  int http_status = 0;  // 0 when no HTTP response arrived
  std::string upstream_code;     // e.g. "InvalidApiKey", "Throttling.RateQuota", "invalid_api_key"
  std::string upstream_type;     // compatible mode's error.type
  std::string upstream_message;  // redacted and truncated
  std::string request_id;        // from the body or the x-(dashscope-)request-id header
  std::optional<std::chrono::seconds> retry_after;
  // Retrying cannot help even if the status usually is transient
  // (e.g. a 429 that means "quota used up", not "too fast").
  bool permanent = false;
  // Transport failures only: no connection was established / some response
  // bytes had already arrived. The retry policy needs both.
  bool connect_failure = false;
  bool response_started = false;

  // message, then hint, then request id, for a one-line display.
  std::string display() const;
};

struct ErrorContext {
  // The request went to a Qwen Coding Plan endpoint: "model not supported"
  // replies then become ModelUnsupportedOnPlan. The caller decides (the
  // catalog's endpoint classification is the one source of that fact).
  bool coding_plan_endpoint = false;
  // The Standard auth choice for the endpoint's region, named in that hint.
  std::string_view standard_auth_choice = "qwen-standard-api-key";
  std::string_view model;  // for messages; may be empty
  // For Retry-After given as an HTTP date.
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// Maps a non-2xx HTTP response. Understands DashScope compatible-mode bodies
// {"error":{"message","type","code"},"request_id"}, native bodies
// {"code","message","request_id"}, and anything else as plain text.
ApiError map_http_error(int status, const HttpHeaders& headers, std::string_view body, const ErrorContext& context);

// Maps a failure that produced no HTTP response.
ApiError map_transport_error(const TransportFailure& failure);

// Retry-After as delay-seconds or an HTTP-date (IMF-fixdate, RFC 850 or
// asctime). Dates in the past give 0 s; unparseable values give nullopt.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// Replaces anything that looks like an API key (`sk-…`) or a bearer token
// with a redacted form that keeps at most the last four characters.
std::string redact_secrets(std::string_view text);

// Cuts `text` to at most `max_bytes` bytes on a UTF-8 character boundary,
// appending "…" when something was cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace openclaw::qwen::net
