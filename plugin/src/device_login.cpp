// The device-login capability of qwen-oauth: start (device code with PKCE),
// poll (one token request) and refresh, each one HTTP exchange with the
// Qwen Portal OAuth service. The host owns the loop, the waiting and the
// storage; this file owns the wire format and what each answer means.
//
// Secrets (device code, code verifier, tokens) travel only in request
// bodies and in the documents handed to the host's sink: never in a log
// line or an error.
#include "capabilities.hpp"
#include "upstream.hpp"

#include "oauth/pkce.hpp"
#include "oauth/qwen_oauth.hpp"

#include "net/error_mapping.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace openclaw::qwen {

namespace json = boost::json;
using openclaw::json_fields::string_at;
using openclaw::json_fields::integer_at;

namespace {

std::string request_id_of(const net::HttpHeaders& headers) {
  for (const auto* name : {"x-request-id", "x-dashscope-request-id"}) {
    if (const auto value = headers.get(name)) return net::truncate_utf8(*value, 120);
  }
  return {};
}

// One form-encoded POST, no retries: a token request the server may have
// acted on must not be sent twice (a refresh token can rotate).
Result<net::HttpResponse> post_form(const CallContext& ctx, const std::string& url, std::string body) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.headers.set("Accept", "application/json");
  request.body = std::move(body);
  net::HttpTimeouts timeouts;
  timeouts.connect = ctx.connect_timeout;
  timeouts.read_idle = ctx.read_timeout;
  request.timeouts = timeouts;
  request.cancel = ctx.cancelled;
  auto result = http_client_for(ctx).send(request);
  if (result) return std::move(result.value());
  const auto mapped = net::map_transport_error(result.error());
  if (mapped.kind == net::ErrorKind::Cancelled || ctx.cancelled())
    return make_error(OC_ERR_CANCELLED, "Cancelled.");
  auto error = to_plugin_error(mapped);
  error.message = "Could not reach the Qwen Portal login service at " + host_of(url) + ": " + error.message;
  if (error.hint.empty()) {
    error.hint = "Check the network (and HTTPS_PROXY / SSL_CERT_FILE), or models.providers.qwen-oauth." +
                 std::string(oauth::kOAuthBaseUrlKey) + " if you set one.";
  }
  return error;
}

// "HTTP 400 invalid_grant: The refresh token is invalid." for messages.
std::string describe_reply(const net::HttpResponse& response, const oauth::OAuthErrorBody& body) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (!body.error.empty()) text += " " + body.error;
  if (!body.description.empty()) text += ": " + body.description;
  return text;
}

// A refusal that is not one of the flow's own answers.
PluginError http_failure(const net::HttpResponse& response, const oauth::OAuthErrorBody& body,
                         std::string message, oc_status client_error) {
  PluginError error;
  error.http_status = response.status;
  error.request_id = request_id_of(response.headers);
  error.message = std::move(message) + " (" + describe_reply(response, body) + ").";
  if (response.status == 429) {
    error.code = OC_ERR_RATE_LIMITED;
    if (const auto retry = response.headers.get("Retry-After")) {
      if (const auto delay = net::parse_retry_after(*retry, std::chrono::system_clock::now())) {
        error.retry_after_ms = static_cast<int>(delay->count() * 1000);
      }
    }
    error.hint = "The Qwen Portal is rate limiting; wait a minute and try again.";
  } else if (response.status >= 500) {
    error.code = OC_ERR_UPSTREAM;
    error.hint = "The Qwen Portal login service has a problem; try again in a moment.";
  } else {
    error.code = client_error;
    error.hint = std::string(oauth::kLogInAgainHint) + ".";
  }
  return error;
}

PluginError login_error(const net::HttpResponse& response, std::string message, std::string hint) {
  PluginError error = make_error(OC_ERR_AUTH, std::move(message), std::move(hint));
  error.http_status = response.status;
  error.request_id = request_id_of(response.headers);
  return error;
}

PluginError device_code_expired() {
  return make_error(
      OC_ERR_AUTH, "The Qwen Portal login code expired before the login was approved.",
      "Run `claw-host login qwen-oauth` again and approve it in the browser before it expires.");
}

Result<std::string> endpoint(const CallContext& ctx, std::string_view path) {
  auto base = oauth::oauth_base_url(ctx.provider_config);
  if (!base) return base.error();
  return *base + std::string(path);
}

}  // namespace

Result<json::object> device_login_start(const ProviderSpec&, const CallContext& ctx) {
  auto url = endpoint(ctx, oauth::kDeviceCodePath);
  if (!url) return url.error();
  auto verifier = oauth::new_code_verifier();
  if (!verifier) return verifier.error();
  auto challenge = oauth::code_challenge_s256(*verifier);
  if (!challenge) return challenge.error();

  auto response = post_form(ctx, *url,
                            oauth::form_encode({{"client_id", oauth::kClientId},
                                                {"scope", oauth::kScope},
                                                {"code_challenge", *challenge},
                                                {"code_challenge_method", "S256"}}));
  if (!response) return response.error();
  if (!response->is_success()) {
    return http_failure(*response, oauth::parse_oauth_error(response->body),
                        "The Qwen Portal did not start the login", OC_ERR_BAD_REQUEST);
  }

  json::error_code ec;
  const auto parsed = json::parse(response->body, ec);
  const json::object empty;
  const auto& reply = !ec && parsed.is_object() ? parsed.as_object() : empty;
  const auto device_code = string_at(reply, "device_code");
  const auto user_code = string_at(reply, "user_code");
  const auto verification_uri = string_at(reply, "verification_uri");
  auto verification_complete = string_at(reply, "verification_uri_complete");
  if (verification_complete.empty() && !verification_uri.empty()) {
    verification_complete = verification_uri + "?user_code=" + user_code;
  }
  if (device_code.empty() || user_code.empty() || verification_complete.empty()) {
    PluginError error =
        make_error(OC_ERR_UPSTREAM,
                   "The Qwen Portal's device login reply lacks device_code, user_code or a "
                   "verification URL.",
                   "Try again in a moment; if it persists, use a pasted token: claw-host onboard "
                   "--auth-choice qwen-oauth");
    error.request_id = request_id_of(response->headers);
    return error;
  }
  const auto expires_in = std::max<std::int64_t>(
      integer_at(reply, "expires_in").value_or(oauth::kDefaultDeviceExpiresInSeconds), 1);
  const auto interval_s = integer_at(reply, "interval");
  const std::int64_t interval_ms = interval_s && *interval_s >= 0
                                       ? std::min<std::int64_t>(*interval_s, 3600) * 1000
                                       : oauth::kDefaultPollIntervalMs;

  return json::object{
      {"deviceCode", device_code},
      {"userCode", user_code},
      {"verificationUri", verification_uri.empty() ? verification_complete : verification_uri},
      {"verificationUriComplete", verification_complete},
      {"expiresIn", expires_in},
      {"expiresAt", oauth::unix_ms_now() + expires_in * 1000},
      {"intervalMs", interval_ms},
      {"codeVerifier", *verifier}};
}

Result<json::object> device_login_poll(const ProviderSpec&, const CallContext& ctx,
                                       const json::object& pending) {
  const auto device_code = string_at(pending, "deviceCode");
  const auto verifier = string_at(pending, "codeVerifier");
  if (device_code.empty() || verifier.empty()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "The device login state has no deviceCode or codeVerifier.",
                      "Pass the document start() wrote, unchanged except for intervalMs.");
  }
  const auto interval = static_cast<std::uint32_t>(std::clamp<std::int64_t>(
      integer_at(pending, "intervalMs").value_or(oauth::kDefaultPollIntervalMs), 0, 3'600'000));
  if (const auto expires_at = integer_at(pending, "expiresAt");
      expires_at && oauth::unix_ms_now() >= *expires_at) {
    return device_code_expired();
  }
  auto url = endpoint(ctx, oauth::kTokenPath);
  if (!url) return url.error();

  auto response = post_form(ctx, *url,
                            oauth::form_encode({{"grant_type", oauth::kDeviceGrantType},
                                                {"client_id", oauth::kClientId},
                                                {"device_code", device_code},
                                                {"code_verifier", verifier}}));
  if (!response) return response.error();
  if (response->is_success()) return oauth::token_document(response->body, {}, true);

  const auto body = oauth::parse_oauth_error(response->body);
  // RFC 8628 sends both with 400; Qwen's service sends slow_down with 429.
  if (response->status < 500 && body.error == "authorization_pending") {
    return json::object{{"status", "pending"}, {"intervalMs", interval}};
  }
  if (response->status < 500 && body.error == "slow_down") {
    return json::object{{"status", "slow_down"}, {"intervalMs", oauth::slowed_interval_ms(interval)}};
  }
  if (body.error == "expired_token") {
    auto error = device_code_expired();
    error.http_status = response->status;
    error.request_id = request_id_of(response->headers);
    return error;
  }
  if (body.error == "access_denied") {
    return login_error(*response, "The Qwen Portal login was denied in the browser.",
                       "Run `claw-host login qwen-oauth` again and approve the request.");
  }
  if (body.error == "invalid_grant") {
    return login_error(
        *response,
        "The Qwen Portal no longer accepts this login code (" + describe_reply(*response, body) + ").",
        "Run `claw-host login qwen-oauth` again.");
  }
  return http_failure(*response, body, "The Qwen Portal refused the login poll", OC_ERR_AUTH);
}

Result<json::object> device_login_refresh(const ProviderSpec&, const CallContext& ctx,
                                          std::string_view refresh_token) {
  if (refresh_token.empty()) {
    return make_error(OC_ERR_AUTH,
                      "No Qwen Portal refresh token is stored (a pasted token cannot be refreshed), and the "
                      "token has expired or was refused.",
                      std::string(oauth::kLogInAgainHint) +
                          ", or paste a new token with claw-host onboard "
                          "--auth-choice qwen-oauth.");
  }
  auto url = endpoint(ctx, oauth::kTokenPath);
  if (!url) return url.error();
  auto response = post_form(ctx, *url,
                            oauth::form_encode({{"grant_type", oauth::kRefreshGrantType},
                                                {"refresh_token", refresh_token},
                                                {"client_id", oauth::kClientId}}));
  if (!response) return response.error();
  if (response->is_success()) return oauth::token_document(response->body, refresh_token, false);

  const auto body = oauth::parse_oauth_error(response->body);
  if (response->status == 400 || response->status == 401) {
    // Qwen's own CLI reads both as "the refresh token is expired or revoked".
    return login_error(*response,
                       "The Qwen Portal refused to refresh the login (" + describe_reply(*response, body) +
                           "): it has expired or was revoked.",
                       std::string(oauth::kLogInAgainHint) + ".");
  }
  return http_failure(*response, body, "The Qwen Portal could not refresh the login", OC_ERR_AUTH);
}

}  // namespace openclaw::qwen
