#include "claw_host/portal_login.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <thread>

namespace claw_host {

namespace json = boost::json;
using openclaw::json_fields::string_at;
using openclaw::json_fields::integer_at;

namespace {

// Caller-owned error storage and a sink collecting the output of one call.
struct AbiExchange {
  oc_error error{};
  oc_sink sink{};
  std::string output;  // may hold secrets: parsed, then dropped with this object

  AbiExchange() {
    error.struct_size = sizeof error;
    error.retry_after_ms = -1;
    sink.user_data = &output;
    sink.write = [](void* user_data, const char* ptr, size_t len) -> int32_t {
      static_cast<std::string*>(user_data)->append(ptr, len);
      return 0;
    };
  }

  PortalError failure(oc_status status, std::string_view what) const {
    PortalError out;
    out.code = status;
    out.message = error.message[0] != '\0' ? std::string(error.message)
                                           : "The Qwen plugin's " + std::string(what) + " failed (status " +
                                                 std::to_string(status) + ").";
    out.hint = error.hint;
    out.request_id = error.request_id;
    out.http_status = error.http_status;
    return out;
  }

  PortalResult<json::object> document(oc_status status, std::string_view what) const {
    if (status != OC_OK) return failure(status, what);
    json::error_code ec;
    auto value = json::parse(output, ec);
    if (ec || !value.is_object()) {
      return PortalError{OC_ERR_INTERNAL,
                         "The Qwen plugin's " + std::string(what) + " answer is not a JSON object.",
                         "Reinstall the plugin; if it persists, report it.",
                         {},
                         0,
                         false};
    }
    return std::move(value.as_object());
  }
};

oc_str to_oc(std::string_view text) {
  return oc_str{text.data(), text.size()};
}

// Owns the oc_call_context of one call.
struct CallContext {
  oc_call_context context{};
  explicit CallContext(const PortalEndpoint& endpoint) {
    context.struct_size = sizeof context;
    context.provider_id = to_oc(endpoint.provider_id);
    context.provider_config_json = to_oc(endpoint.provider_config_json);
    context.ca_bundle_path = to_oc(endpoint.ca_bundle_path);
    context.read_timeout_ms = endpoint.read_timeout_ms;
    context.cancel = endpoint.cancel;
  }
};

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool transient(oc_status status) {
  return status == OC_ERR_NETWORK || status == OC_ERR_TIMEOUT || status == OC_ERR_UPSTREAM ||
         status == OC_ERR_RATE_LIMITED;
}

PortalError cancelled_error() {
  return PortalError{OC_ERR_CANCELLED,
                     "The Qwen Portal login was cancelled; nothing was stored.",
                     "Run `claw-host login qwen-oauth` again when you are ready.",
                     {},
                     0,
                     false};
}

// Sleeps in small steps so a cancel is noticed quickly. False when cancelled.
bool wait(std::chrono::milliseconds duration, const std::function<bool()>& cancelled) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (true) {
    if (cancelled && cancelled()) return false;
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
  }
}

}  // namespace

std::optional<DeviceLoginClient> DeviceLoginClient::open(const PortalEndpoint& endpoint) {
  if (endpoint.provider == nullptr || !OC_HAS_FIELD(endpoint.provider, oc_provider, get_capability) ||
      endpoint.provider->get_capability == nullptr) {
    return std::nullopt;
  }
  const auto* table = static_cast<const oc_device_login_v1*>(
      endpoint.provider->get_capability(endpoint.provider, OC_CAPABILITY_DEVICE_LOGIN));
  if (table == nullptr || !OC_HAS_FIELD(table, oc_device_login_v1, refresh) || table->start == nullptr ||
      table->poll == nullptr || table->refresh == nullptr) {
    return std::nullopt;
  }
  return DeviceLoginClient(endpoint, table);
}

PortalResult<json::object> DeviceLoginClient::start() const {
  CallContext call(endpoint_);
  AbiExchange exchange;
  const auto status = table_->start(endpoint_.provider, &call.context, &exchange.sink, &exchange.error);
  return exchange.document(status, "device login start");
}

PortalResult<json::object> DeviceLoginClient::poll(const json::object& pending) const {
  CallContext call(endpoint_);
  AbiExchange exchange;
  const auto text = json::serialize(pending);
  const auto status =
      table_->poll(endpoint_.provider, &call.context, to_oc(text), &exchange.sink, &exchange.error);
  return exchange.document(status, "device login poll");
}

PortalResult<json::object> DeviceLoginClient::refresh(std::string_view refresh_token) const {
  CallContext call(endpoint_);
  AbiExchange exchange;
  const auto status = table_->refresh(endpoint_.provider, &call.context, to_oc(refresh_token), &exchange.sink,
                                      &exchange.error);
  return exchange.document(status, "token refresh");
}

PortalResult<OAuthCredential> credential_from_tokens(const json::object& tokens,
                                                     const OAuthCredential* previous) {
  OAuthCredential credential;
  credential.provider = std::string(kPortalProviderId);
  credential.access = string_at(tokens, "access");
  if (credential.access.empty()) {
    return PortalError{OC_ERR_UPSTREAM,
                       "The Qwen Portal answered without an access token; nothing was stored.",
                       "Try again; if it persists, " + std::string(kPortalLoginCommand) + ".",
                       {},
                       0,
                       false};
  }
  credential.refresh = string_at(tokens, "refresh");
  if (credential.refresh.empty() && previous != nullptr) credential.refresh = previous->refresh;
  credential.expires_at_ms = integer_at(tokens, "expiresAt");
  credential.resource_url = string_at(tokens, "resourceUrl");
  if (credential.resource_url.empty() && previous != nullptr)
    credential.resource_url = previous->resource_url;
  return credential;
}

PortalResult<OAuthCredential> run_device_login(const DeviceLoginClient& client,
                                               const DeviceLoginOptions& options) {
  const auto started_at = unix_ms_now();
  auto started = client.start();
  if (!started) return started.error();
  json::object pending = std::move(*started);

  DeviceLoginPrompt prompt;
  prompt.verification_uri = string_at(pending, "verificationUri");
  prompt.verification_uri_complete = string_at(pending, "verificationUriComplete");
  prompt.user_code = string_at(pending, "userCode");
  prompt.expires_in_seconds = integer_at(pending, "expiresIn").value_or(600);
  if (options.on_prompt) options.on_prompt(prompt);

  // The host's own deadline, in case a plugin does not enforce expiresAt.
  const auto deadline = started_at + prompt.expires_in_seconds * 1000;
  const auto floor = options.min_poll_interval;
  auto interval =
      std::max(std::chrono::milliseconds(integer_at(pending, "intervalMs").value_or(2000)), floor);
  pending["intervalMs"] = interval.count();  // slow_down stretches what we really wait
  int failures_in_a_row = 0;

  while (true) {
    if (!wait(interval, options.cancelled)) return cancelled_error();
    if (unix_ms_now() >= deadline) {
      return PortalError{
          OC_ERR_AUTH,
          "The Qwen Portal login code expired before the login was approved.",
          "Run `claw-host login qwen-oauth` again and approve it in the browser before it expires.",
          {},
          0,
          false};
    }
    auto polled = client.poll(pending);
    if (!polled) {
      if (polled.error().code == OC_ERR_CANCELLED) return cancelled_error();
      if (transient(polled.error().code) && ++failures_in_a_row <= options.max_transient_failures) {
        if (options.on_waiting) options.on_waiting("retrying", interval);
        continue;
      }
      return polled.error();
    }
    failures_in_a_row = 0;
    const auto status = string_at(*polled, "status");
    if (status == "success") return credential_from_tokens(*polled);
    if (status == "pending" || status == "slow_down") {
      const auto asked =
          std::chrono::milliseconds(integer_at(*polled, "intervalMs").value_or(interval.count()));
      interval = std::max(asked, floor);
      pending["intervalMs"] = interval.count();
      if (options.on_waiting) options.on_waiting(status, interval);
      continue;
    }
    return PortalError{OC_ERR_INTERNAL,
                       "The Qwen plugin's device login poll gave an unknown status.",
                       "Update the plugin and claw-host together.",
                       {},
                       0,
                       false};
  }
}

}  // namespace claw_host
