// Qwen Portal OAuth as Qwen's CLI uses it (chat.qwen.ai): RFC 8628 device
// authorization with PKCE S256, then device-code and refresh-token grants,
// all form-encoded. Issued access tokens become valid bearer keys for chat.
#include <map>
#include <string>

#include "http_server.hpp"
#include "routes.hpp"
#include "shared_state.hpp"
#include "wire.hpp"

namespace dashscope_emulator::detail {

namespace {

constexpr std::string_view kDeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
constexpr std::string_view kTokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// application/x-www-form-urlencoded; the first value of a repeated key wins.
std::map<std::string, std::string, std::less<>> parse_form(std::string_view body) {
  std::map<std::string, std::string, std::less<>> form;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    form.try_emplace(url_decode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1)));
  }
  return form;
}

std::string field(const std::map<std::string, std::string, std::less<>>& form, std::string_view key) {
  const auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

// OAuth errors are {"error","error_description"}, not DashScope's shapes.
HttpResponse oauth_error(int status, std::string_view error, std::string_view description,
                         const std::string& request_id) {
  return json_reply(status, json::object{{"error", error}, {"error_description", description}}, request_id);
}

// Form body and client id checks shared by both endpoints.
std::optional<HttpResponse> check_client(const HttpRequest& request,
                                         const std::map<std::string, std::string, std::less<>>& form,
                                         const std::string& request_id) {
  if (!request.header("Content-Type").starts_with("application/x-www-form-urlencoded")) {
    return oauth_error(400, "invalid_request", "The body must be application/x-www-form-urlencoded.", request_id);
  }
  if (field(form, "client_id") != kQwenOAuthClientId) {
    return oauth_error(401, "invalid_client", "Unknown client_id.", request_id);
  }
  return std::nullopt;
}

std::string resource_url_for(const std::optional<std::string>& scripted, const State& state) {
  return scripted ? *scripted : state.host_port;
}

// Issues a token pair; callers hold the state mutex.
json::object issue_tokens(State& state, int expires_in, bool with_refresh_token,
                          const std::optional<std::string>& resource_url) {
  std::string access = "qat-" + state.random_token(40, kTokenAlphabet);
  state.oauth_access_tokens.insert(access);
  state.issued_access_tokens.push_back(access);
  json::object body;
  body["access_token"] = access;
  if (with_refresh_token) {
    std::string refresh = "qrt-" + state.random_token(40, kTokenAlphabet);
    state.refresh_tokens.insert(refresh);
    state.issued_refresh_tokens.push_back(refresh);
    body["refresh_token"] = refresh;
  }
  body["token_type"] = "Bearer";
  body["expires_in"] = expires_in;
  body["scope"] = "openid profile email model.completion";
  if (const std::string url = resource_url_for(resource_url, state); !url.empty()) body["resource_url"] = url;
  return body;
}

HttpResponse device_code(const HttpRequest& request, State& state) {
  const std::string request_id = state.new_uuid();
  const auto form = parse_form(request.body);
  if (auto refused = check_client(request, form, request_id)) return std::move(*refused);
  if (field(form, "scope").empty()) return oauth_error(400, "invalid_request", "Missing scope.", request_id);
  const std::string challenge = field(form, "code_challenge");
  if (challenge.empty() || field(form, "code_challenge_method") != "S256") {
    return oauth_error(400, "invalid_request", "A PKCE code_challenge with code_challenge_method=S256 is required.",
                       request_id);
  }

  DeviceSession session;
  session.code_challenge = challenge;
  session.user_code = state.random_token(4, "ABCDEFGHJKLMNPQRSTUVWXYZ") + "-" + state.random_token(4, "0123456789");
  const std::string device = state.random_token(43, kTokenAlphabet);
  json::object body;
  {
    std::lock_guard lock(state.mutex);
    if (!state.device_scripts.empty()) {
      session.script = std::move(state.device_scripts.front());
      state.device_scripts.pop_front();
    }
    body["device_code"] = device;
    body["user_code"] = session.user_code;
    body["verification_uri"] = state.origin + "/authorize";
    body["verification_uri_complete"] = state.origin + "/authorize?user_code=" + session.user_code + "&client=qwen-code";
    body["expires_in"] = session.script.device_expires_in;
    if (session.script.interval_seconds >= 0) body["interval"] = session.script.interval_seconds;
    state.device_sessions.emplace(device, std::move(session));
  }
  return json_reply(200, body, request_id);
}

HttpResponse device_grant(const std::map<std::string, std::string, std::less<>>& form, State& state,
                          const std::string& request_id) {
  const std::string verifier = field(form, "code_verifier");
  if (verifier.empty()) return oauth_error(400, "invalid_request", "Missing code_verifier.", request_id);
  const std::string challenge = pkce_challenge(verifier);

  std::lock_guard lock(state.mutex);
  const auto found = state.device_sessions.find(field(form, "device_code"));
  if (found == state.device_sessions.end() || found->second.redeemed) {
    return oauth_error(400, "invalid_grant", "The device code is invalid or was already used.", request_id);
  }
  DeviceSession& session = found->second;
  if (challenge != session.code_challenge) {
    return oauth_error(400, "invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge.",
                       request_id);
  }
  const DeviceAuthScript& script = session.script;
  const int poll = session.polls++;
  if (poll < script.slow_down_replies) {
    return oauth_error(script.slow_down_status, "slow_down", "The client is polling too quickly.", request_id);
  }
  if (poll < script.slow_down_replies + script.pending_replies) {
    return oauth_error(400, "authorization_pending", "The authorization request is still pending.", request_id);
  }
  switch (script.outcome) {
    case DeviceAuthOutcome::Denied:
      return oauth_error(400, "access_denied", "The user denied the authorization request.", request_id);
    case DeviceAuthOutcome::Expired:
      return oauth_error(400, "expired_token", "The device code has expired.", request_id);
    case DeviceAuthOutcome::Approved: break;
  }
  session.redeemed = true;
  return json_reply(200, issue_tokens(state, script.token_expires_in, script.issue_refresh_token, script.resource_url),
                    request_id);
}

HttpResponse refresh_grant(const std::map<std::string, std::string, std::less<>>& form, State& state,
                           const std::string& request_id) {
  const std::string refresh = field(form, "refresh_token");
  RefreshScript script;
  {
    std::lock_guard lock(state.mutex);
    ++state.refresh_calls;
    if (refresh.empty()) return oauth_error(400, "invalid_request", "Missing refresh_token.", request_id);
    if (!state.refresh_tokens.contains(refresh)) {
      return oauth_error(400, "invalid_grant", "The refresh token is invalid, expired or revoked.", request_id);
    }
    if (!state.refresh_scripts.empty()) {
      script = std::move(state.refresh_scripts.front());
      state.refresh_scripts.pop_front();
    }
  }
  if (script.delay.count() > 0 && !state.stop.sleep_for(script.delay)) {
    return oauth_error(503, "temporarily_unavailable", "The emulator is stopping.", request_id);
  }

  std::lock_guard lock(state.mutex);
  // Checked again after the delay: a concurrent refresh may have rotated
  // this token away meanwhile, exactly the race single-flight prevents.
  if (!state.refresh_tokens.contains(refresh)) {
    return oauth_error(400, "invalid_grant", "The refresh token is invalid, expired or revoked.", request_id);
  }
  if (!script.succeed) {
    state.refresh_tokens.erase(refresh);
    return oauth_error(400, "invalid_grant", "The refresh token is invalid, expired or revoked.", request_id);
  }
  if (script.rotate_refresh_token) state.refresh_tokens.erase(refresh);
  return json_reply(200, issue_tokens(state, script.expires_in, script.rotate_refresh_token, script.resource_url),
                    request_id);
}

HttpResponse token(const HttpRequest& request, State& state) {
  const std::string request_id = state.new_uuid();
  const auto form = parse_form(request.body);
  if (auto refused = check_client(request, form, request_id)) return std::move(*refused);
  const std::string grant = field(form, "grant_type");
  if (grant == kDeviceGrant) return device_grant(form, state, request_id);
  if (grant == "refresh_token") return refresh_grant(form, state, request_id);
  return oauth_error(400, "unsupported_grant_type", "Unsupported grant_type.", request_id);
}

// Stands in for the browser page; approval itself is scripted.
HttpResponse authorize_page(State& state) {
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.headers.emplace_back("x-request-id", state.new_uuid());
  response.body =
      "<!doctype html><title>DashScope emulator</title>"
      "<p>This is the DashScope emulator at " +
      state.origin +
      ". Device authorization is scripted by the test (DeviceAuthScript); there is nothing to approve here.</p>";
  return response;
}

}  // namespace

void add_oauth_routes(HttpServer& server, State& state) {
  server.route("POST", "/api/v1/oauth2/device/code",
               [&state](const HttpRequest& request) { return device_code(request, state); });
  server.route("POST", "/api/v1/oauth2/token", [&state](const HttpRequest& request) { return token(request, state); });
  server.route("GET", "/authorize", [&state](const HttpRequest&) { return authorize_page(state); });
}

}  // namespace dashscope_emulator::detail
