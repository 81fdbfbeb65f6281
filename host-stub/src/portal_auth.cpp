#include "portal_auth.hpp"

#include "cli_error.hpp"

#include "claw_host/credential_store.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <ctime>

namespace claw_host {

DeviceLoginClient portal_login_client(HostSession& session, const oc_cancel_token* cancel) {
  const auto resolution = session.resolve_provider(kPortalProviderId);
  PortalEndpoint endpoint;
  endpoint.provider = resolution.provider->table;
  endpoint.provider_id = std::string(kPortalProviderId);
  endpoint.provider_config_json = boost::json::serialize(session.provider_config_for(resolution));
  if (const auto ca = session.env().get("SSL_CERT_FILE")) endpoint.ca_bundle_path = *ca;
  endpoint.cancel = cancel;
  auto client = DeviceLoginClient::open(endpoint);
  if (!client) {
    throw CliError(
        kExitUnavailable,
        "The installed plugin that provides qwen-oauth does not offer the device login (" +
            std::string(OC_CAPABILITY_DEVICE_LOGIN) + ").",
        "Update the Qwen plugin, or paste a portal token: claw-host onboard --auth-choice qwen-oauth");
  }
  return *client;
}

void throw_portal_error(const PortalError& error) {
  std::string hint = error.hint;
  if (!error.request_id.empty())
    hint += (hint.empty() ? "" : " ") + std::string("(request id ") + error.request_id + ")";
  const int code = error.credential_store           ? kExitConfig
                   : error.code == OC_ERR_CANCELLED ? kExitInterrupted
                                                    : exit_code_for(error.code);
  throw CliError(code, error.message, hint);
}

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string describe_expiry(std::int64_t expires_at_ms, std::int64_t now_ms) {
  const std::time_t seconds = static_cast<std::time_t>(expires_at_ms / 1000);
  std::tm utc{};
  char stamp[32] = "?";
  if (gmtime_r(&seconds, &utc) != nullptr) std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M UTC", &utc);
  const auto span = [](std::int64_t ms) {
    const auto minutes = ms / 60'000;
    if (minutes < 120) return std::to_string(minutes) + " min";
    if (minutes < 48 * 60) return std::to_string(minutes / 60) + " h";
    return std::to_string(minutes / (24 * 60)) + " days";
  };
  const std::string when = expires_at_ms <= now_ms ? "expired " + span(now_ms - expires_at_ms) + " ago"
                                                   : "in " + span(expires_at_ms - now_ms);
  return std::string(stamp) + " (" + when + ")";
}

std::optional<PortalTokenGuard> PortalTokenGuard::prepare(HostSession& session,
                                                          HostSession::CallTarget& target,
                                                          const oc_cancel_token* cancel) {
  if (target.resolution.provider == nullptr || target.resolution.provider->table->id != kPortalProviderId ||
      target.api_key.empty()) {
    return std::nullopt;
  }
  const CredentialStore store(session.paths().credentials_file);
  auto stored = store.get(kPortalProfileId);
  const auto* oauth = stored && *stored ? std::get_if<OAuthCredential>(&**stored) : nullptr;
  if (oauth == nullptr || oauth->access != target.api_key) return std::nullopt;  // key from elsewhere

  PortalEndpoint endpoint;
  endpoint.provider = target.resolution.provider->table;
  endpoint.provider_id = std::string(kPortalProviderId);
  endpoint.provider_config_json = target.provider_config;
  endpoint.ca_bundle_path = target.ca_bundle;
  endpoint.cancel = cancel;
  auto client = DeviceLoginClient::open(endpoint);
  if (!client) return std::nullopt;  // nothing can refresh; the token is used as it is

  PortalTokenGuard guard(
      OAuthRefresher(session.paths().credentials_file, std::string(kPortalProfileId), std::move(*client)));
  auto fresh = guard.refresher_.fresh();
  if (!fresh) throw_portal_error(fresh.error());
  apply(*fresh, target);
  return guard;
}

bool PortalTokenGuard::refresh_after_rejection(HostSession::CallTarget& target) {
  if (retried_) return false;
  retried_ = true;
  auto renewed = refresher_.after_rejection(target.api_key);
  if (!renewed) throw_portal_error(renewed.error());
  apply(*renewed, target);
  return true;
}

void PortalTokenGuard::apply(const OAuthCredential& credential, HostSession::CallTarget& target) {
  target.api_key = credential.access;
  if (target.base_url_from_credential && !credential.resource_url.empty())
    target.base_url = credential.resource_url;
}

}  // namespace claw_host
