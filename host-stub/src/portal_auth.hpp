// Qwen Portal (qwen-oauth) logins for the CLI commands: where the plugin's
// device-login capability is, how its failures become CLI errors, and the
// guard `claw-host chat` uses to keep a stored login's token fresh.
#pragma once

#include "host_session.hpp"

#include "claw_host/oauth_refresher.hpp"
#include "claw_host/portal_login.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace claw_host {

// The qwen-oauth provider's device-login endpoint, with the user's
// models.providers.qwen-oauth entry (oauthBaseUrl) and SSL_CERT_FILE.
// Throws CliError when no loaded plugin offers it.
DeviceLoginClient portal_login_client(HostSession& session, const oc_cancel_token* cancel);

// The CliError for a failed login or refresh (exit code from the status).
[[noreturn]] void throw_portal_error(const PortalError& error);

// "2026-01-01 12:00 UTC (in 59 min)" / "(expired 3 min ago)".
std::string describe_expiry(std::int64_t expires_at_ms, std::int64_t now_ms);
std::int64_t unix_now_ms();

// For a call that uses the stored Qwen Portal login as its key: refreshes
// the token before it expires and once after the API refused it
// (single-flight, see OAuthRefresher), updating the call target.
class PortalTokenGuard {
 public:
  // nullopt unless `target` is a qwen-oauth call keyed by the stored login
  // (qwen-oauth:default) and the plugin can refresh. Otherwise refreshes a
  // token that expires within 60 s and puts the result into `target`.
  // Throws CliError (naming `claw-host login qwen-oauth`) when that fails.
  static std::optional<PortalTokenGuard> prepare(HostSession& session, HostSession::CallTarget& target,
                                                 const oc_cancel_token* cancel);

  // After OC_ERR_AUTH with the target's token: a renewed token is in
  // `target` and the call should be retried once (true), or false when this
  // guard already retried. Throws CliError when the refresh fails.
  bool refresh_after_rejection(HostSession::CallTarget& target);

 private:
  explicit PortalTokenGuard(OAuthRefresher refresher) : refresher_(std::move(refresher)) {}
  static void apply(const OAuthCredential& credential, HostSession::CallTarget& target);

  OAuthRefresher refresher_;
  bool retried_ = false;
};

}  // namespace claw_host
