// Keeps a stored Qwen Portal login usable: refreshes the access token shortly
// before it expires, or after the API refused it, and stores the new token
// pair atomically.
//
// Single-flight, across threads and processes: a refresh runs inside
// CredentialStore::update (an flock on the credential file, read-modify-write)
// and, in this process, under one mutex per credential file and profile. The
// stored credential is re-read under both, so when another thread or process
// refreshed meanwhile its token is used and no second refresh is sent (a
// rotated refresh token would be refused anyway).
//
// A refresh that fails leaves the stored credential exactly as it was, and
// the error says to log in again (`claw-host login qwen-oauth`) when the
// Portal refused the refresh token.
//
// Thread-safety: one OAuthRefresher may be used from any number of threads.
#pragma once

#include "claw_host/credential_store.hpp"
#include "claw_host/portal_login.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace claw_host {

struct OAuthRefresherOptions {
  // Refresh when the token expires within this much time.
  std::chrono::milliseconds refresh_margin = std::chrono::seconds(60);
  // How long to wait for another process's refresh to finish (the lock is
  // held across its network call).
  std::chrono::milliseconds lock_timeout = std::chrono::seconds(120);
  // Unix milliseconds now; a test seam.
  std::function<std::int64_t()> now_ms;
};

class OAuthRefresher {
 public:
  OAuthRefresher(std::filesystem::path credentials_file, std::string profile_id, DeviceLoginClient client,
                 OAuthRefresherOptions options = {});

  // The stored credential, refreshed first when it expires within the margin
  // (a credential without an expiry, like a pasted token, is used as it is).
  PortalResult<OAuthCredential> fresh() const;

  // The API refused `rejected_access`: refresh, unless the store already
  // holds a different access token (someone else refreshed); either way
  // return the credential to retry with.
  PortalResult<OAuthCredential> after_rejection(std::string_view rejected_access) const;

  const std::filesystem::path& credentials_file() const { return file_; }
  const std::string& profile_id() const { return profile_; }

 private:
  enum class Reason { expiring, rejected };
  PortalResult<OAuthCredential> refresh_if(Reason reason, std::string_view rejected_access) const;
  bool needs_refresh(const OAuthCredential& credential, Reason reason,
                     std::string_view rejected_access) const;

  std::filesystem::path file_;
  std::string profile_;
  DeviceLoginClient client_;
  OAuthRefresherOptions options_;
};

}  // namespace claw_host
