// <state dir>/credentials.json: where keys and tokens live, and nowhere else
// (the config only says which profile a provider uses).
//
//   { "version": 1,
//     "profiles": {
//       "qwen:default":       { "provider": "qwen", "kind": "api_key", "key": "sk-..." },
//       "qwen-oauth:default": { "provider": "qwen-oauth", "kind": "oauth", "access": "...",
//                               "refresh": "...", "expiresAt": 1767225600000, "resourceUrl":
//                               "https://portal.qwen.ai/v1" } } }
//
// Guarantees:
//  * the file is always mode 0600 and replaced atomically (temp + fsync +
//    rename + directory fsync): a crash leaves the old or the new file, whole;
//  * updates are read-modify-write under an flock on credentials.json.lock, so
//    two claw-host processes storing different profiles keep both;
//  * a file found readable by group/others is tightened to 0600 on first
//    read and a notice says so (refusing would lock the user out of a daemon
//    for a problem we can fix; if chmod fails, reading is refused instead);
//  * profiles and fields this version does not know are preserved;
//  * a file from a newer format version is neither read nor written;
//  * no error or notice ever contains a key or token (see redact.hpp).
//
// Thread-safety: one CredentialStore object per thread (notices are per object);
// any number of objects and processes may share the file.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "claw_host/result.hpp"

namespace claw_host {

struct ApiKeyCredential {
  std::string provider;
  std::string key;
};

struct OAuthCredential {
  std::string provider;
  std::string access;
  std::string refresh;                        // empty: none (a pasted portal token)
  std::optional<std::int64_t> expires_at_ms;  // unix milliseconds; nullopt: unknown
  std::string resource_url;                   // empty: the provider's default API base
};

using Credential = std::variant<ApiKeyCredential, OAuthCredential>;

const std::string& credential_provider(const Credential& credential);
// The bearer secret: the API key or the OAuth access token.
const std::string& credential_secret(const Credential& credential);

struct CredentialStoreOptions {
  std::chrono::milliseconds lock_timeout = std::chrono::seconds(10);
  // Test seam: runs when the new file is written and synced but not yet
  // renamed into place. Crash-safety tests _exit() here. Empty in production.
  std::function<void()> before_commit_for_tests;
};

class CredentialStore {
 public:
  static constexpr std::int64_t kFormatVersion = 1;

  explicit CredentialStore(std::filesystem::path file, CredentialStoreOptions options = {});

  const std::filesystem::path& file() const noexcept { return file_; }

  // nullopt: no such profile (or no file yet).
  Result<std::optional<Credential>> get(std::string_view profile_id) const;
  Result<std::vector<std::string>> profile_ids() const;

  // Creates or replaces one profile; the others are kept.
  Result<void> put(std::string_view profile_id, const Credential& credential);
  // false: there was no such profile.
  Result<bool> remove(std::string_view profile_id);
  // Atomic read-modify-write of one profile under the lock, e.g. for an OAuth
  // refresh that must not clobber a token another process refreshed meanwhile.
  // `change` gets the current credential and returns the one to store, or
  // nullopt to leave the file untouched. Returns what is stored afterwards.
  Result<std::optional<Credential>> update(
      std::string_view profile_id,
      const std::function<std::optional<Credential>(const std::optional<Credential>&)>& change);

  // Notices collected so far (e.g. "permissions tightened"), then cleared.
  std::vector<std::string> take_notices();

 private:
  std::filesystem::path file_;
  CredentialStoreOptions options_;
  mutable std::vector<std::string> notices_;
};

}  // namespace claw_host
