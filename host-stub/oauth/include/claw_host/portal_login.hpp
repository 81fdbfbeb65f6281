// The host side of Qwen Portal (qwen-oauth) login: a C++ face over a
// plugin's openclaw.device-login/1 table, and the device-authorization loop
// (show the code, wait, poll, honour slow_down, stop on expiry or denial).
//
// Secrets (device code, code verifier, access and refresh tokens) only pass
// through these types in memory; nothing here prints or logs them, and no
// PortalError ever contains one.
#pragma once

#include "claw_host/credential_store.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace claw_host {

inline constexpr std::string_view kPortalProviderId = "qwen-oauth";
inline constexpr std::string_view kPortalProfileId = "qwen-oauth:default";
inline constexpr std::string_view kPortalLoginCommand = "claw-host login qwen-oauth";

// A failed login or refresh, ready to show: message names the problem, hint the fix.
struct PortalError {
  oc_status code = OC_ERR_INTERNAL;  // the plugin's status, or OC_ERR_AUTH for "no login stored"
  std::string message;
  std::string hint;
  std::string request_id;
  int http_status = 0;
  bool credential_store = false;  // the credential file, not the Portal, failed
};

// A value or a PortalError.
template <class T>
class PortalResult {
 public:
  PortalResult(T value) : state_(std::move(value)) {}            // NOLINT: implicit on purpose
  PortalResult(PortalError error) : state_(std::move(error)) {}  // NOLINT
  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const PortalError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, PortalError> state_;
};

// What a device-login call needs: the provider that serves the capability
// and the context pieces the plugin reads (oauthBaseUrl lives in the
// provider config). Owned strings: a PortalEndpoint can be copied freely.
struct PortalEndpoint {
  const oc_provider* provider = nullptr;
  std::string provider_id{kPortalProviderId};
  std::string provider_config_json;  // models.providers.qwen-oauth without apiKey, or ""
  std::string ca_bundle_path;        // "" = SSL_CERT_FILE or the system store
  std::uint32_t read_timeout_ms = 0;
  const oc_cancel_token* cancel = nullptr;  // may be null; must outlive the calls
};

// One call each to the plugin's start / poll / refresh. [thread-safe]
class DeviceLoginClient {
 public:
  // nullopt when the provider does not offer openclaw.device-login/1.
  static std::optional<DeviceLoginClient> open(const PortalEndpoint& endpoint);

  PortalResult<boost::json::object> start() const;
  PortalResult<boost::json::object> poll(const boost::json::object& pending) const;
  PortalResult<boost::json::object> refresh(std::string_view refresh_token) const;

  const PortalEndpoint& endpoint() const { return endpoint_; }

 private:
  DeviceLoginClient(PortalEndpoint endpoint, const oc_device_login_v1* table)
      : endpoint_(std::move(endpoint)), table_(table) {}
  PortalEndpoint endpoint_;
  const oc_device_login_v1* table_;
};

// A token document (poll "success" or refresh) as a credential. Fields the
// document lacks keep their value from `previous` (a refresh without a new
// refresh token or resource URL keeps the old ones).
PortalResult<OAuthCredential> credential_from_tokens(const boost::json::object& tokens,
                                                     const OAuthCredential* previous = nullptr);

// What the user must see to approve the login.
struct DeviceLoginPrompt {
  std::string verification_uri;
  std::string verification_uri_complete;  // with the user code in it
  std::string user_code;
  std::int64_t expires_in_seconds = 0;
};

struct DeviceLoginOptions {
  // Never poll faster than this, whatever the server asks (its interval and
  // slow_down stretch it further). claw-host reads OPENCLAW_OAUTH_MIN_POLL_MS.
  std::chrono::milliseconds min_poll_interval{1000};
  // Network hiccups (network, timeout, 5xx, rate limit) tolerated in a row
  // while polling before giving up.
  int max_transient_failures = 3;
  std::function<void(const DeviceLoginPrompt&)> on_prompt;
  // After each poll that did not finish: "pending" or "slow_down", and the
  // wait before the next poll.
  std::function<void(std::string_view status, std::chrono::milliseconds next_wait)> on_waiting;
  std::function<bool()> cancelled = [] { return false; };
};

// Runs the whole device flow: start, prompt, then wait-and-poll until the
// login is approved, denied, expired or cancelled. The credential is returned,
// not stored: the caller stores it (CredentialStore::put is atomic).
PortalResult<OAuthCredential> run_device_login(const DeviceLoginClient& client,
                                               const DeviceLoginOptions& options);

}  // namespace claw_host
