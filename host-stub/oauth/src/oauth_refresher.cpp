#include "claw_host/oauth_refresher.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace claw_host {

namespace {

// One mutex per (credential file, profile) for the whole process: the file
// lock alone would serialise threads too, but only while they hold it, and
// this keeps the order simple: mutex, then file lock.
std::mutex& refresh_mutex(const std::filesystem::path& file, const std::string& profile) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::unique_ptr<std::mutex>> registry;
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  const auto key = (ec ? file : absolute).lexically_normal().string() + '\n' + profile;
  std::lock_guard lock(registry_mutex);
  auto& slot = registry[key];
  if (!slot) slot = std::make_unique<std::mutex>();
  return *slot;
}

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PortalError store_error(const Error& error) {
  return PortalError{OC_ERR_INTERNAL, error.message, {}, {}, 0, true};
}

PortalError no_login(const std::filesystem::path& file, const std::string& profile) {
  return PortalError{OC_ERR_AUTH,
                     "No Qwen Portal login is stored as " + profile + " in " + file.string() + ".",
                     "Run `" + std::string(kPortalLoginCommand) + "`.",
                     {},
                     0,
                     false};
}

PortalError cannot_refresh(bool rejected) {
  return PortalError{
      OC_ERR_AUTH,
      rejected ? "The Qwen Portal refused the stored token, and it has no refresh token to renew it."
               : "The stored Qwen Portal token has expired, and it has no refresh token to renew it.",
      "Log in again: " + std::string(kPortalLoginCommand) +
          " (or paste a new token with claw-host onboard --auth-choice qwen-oauth).",
      {},
      0,
      false};
}

bool transient(oc_status status) {
  return status == OC_ERR_NETWORK || status == OC_ERR_TIMEOUT || status == OC_ERR_UPSTREAM ||
         status == OC_ERR_RATE_LIMITED;
}

}  // namespace

OAuthRefresher::OAuthRefresher(std::filesystem::path credentials_file, std::string profile_id,
                               DeviceLoginClient client, OAuthRefresherOptions options)
    : file_(std::move(credentials_file)),
      profile_(std::move(profile_id)),
      client_(std::move(client)),
      options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
}

bool OAuthRefresher::needs_refresh(const OAuthCredential& credential, Reason reason,
                                   std::string_view rejected_access) const {
  if (reason == Reason::rejected) return credential.access == rejected_access;
  return credential.expires_at_ms.has_value() &&
         *credential.expires_at_ms - options_.now_ms() <= options_.refresh_margin.count();
}

PortalResult<OAuthCredential> OAuthRefresher::fresh() const {
  return refresh_if(Reason::expiring, {});
}

PortalResult<OAuthCredential> OAuthRefresher::after_rejection(std::string_view rejected_access) const {
  return refresh_if(Reason::rejected, rejected_access);
}

PortalResult<OAuthCredential> OAuthRefresher::refresh_if(Reason reason,
                                                         std::string_view rejected_access) const {
  // Fast path: a valid token needs no lock at all.
  {
    const CredentialStore store(file_);
    auto current = store.get(profile_);
    if (!current) return store_error(current.error());
    const auto* oauth = *current ? std::get_if<OAuthCredential>(&**current) : nullptr;
    if (oauth == nullptr) return no_login(file_, profile_);
    if (!needs_refresh(*oauth, reason, rejected_access)) return *oauth;
  }

  std::lock_guard in_process(refresh_mutex(file_, profile_));
  CredentialStoreOptions store_options;
  store_options.lock_timeout = options_.lock_timeout;
  CredentialStore store(file_, store_options);
  std::optional<PortalError> failure;
  std::optional<OAuthCredential> result;
  bool refreshed = false;
  auto updated =
      store.update(profile_, [&](const std::optional<Credential>& current) -> std::optional<Credential> {
        const auto* oauth = current ? std::get_if<OAuthCredential>(&*current) : nullptr;
        if (oauth == nullptr) {
          failure = no_login(file_, profile_);
          return std::nullopt;
        }
        // Re-read under both locks: another thread or process may have refreshed.
        if (!needs_refresh(*oauth, reason, rejected_access)) {
          result = *oauth;
          return std::nullopt;
        }
        const bool expired = oauth->expires_at_ms && *oauth->expires_at_ms <= options_.now_ms();
        if (oauth->refresh.empty()) {
          if (reason == Reason::expiring && !expired) {
            result = *oauth;  // still valid for a little while; nothing to renew it with
          } else {
            failure = cannot_refresh(reason == Reason::rejected);
          }
          return std::nullopt;
        }
        auto tokens = client_.refresh(oauth->refresh);
        if (!tokens) {
          // A hiccup while the token still works should not stop the call.
          if (reason == Reason::expiring && !expired && transient(tokens.error().code)) {
            result = *oauth;
          } else {
            failure = tokens.error();
          }
          return std::nullopt;
        }
        auto next = credential_from_tokens(*tokens, oauth);
        if (!next) {
          failure = next.error();
          return std::nullopt;
        }
        next->provider = oauth->provider;
        result = *next;
        refreshed = true;
        return Credential(std::move(*next));
      });
  if (!updated) {
    auto error = store_error(updated.error());
    if (refreshed) {
      error.message = "The Qwen Portal token was renewed but could not be stored: " + error.message;
      error.hint = "Fix the credential file problem, then log in again: " + std::string(kPortalLoginCommand);
    }
    return error;
  }
  if (failure) return *failure;
  if (!result) return no_login(file_, profile_);
  return *result;
}

}  // namespace claw_host
