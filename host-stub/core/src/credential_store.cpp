#include "claw_host/credential_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <system_error>

#include "claw_host/atomic_file.hpp"
#include "claw_host/file_lock.hpp"
#include "claw_host/jsonc.hpp"
#include "claw_host/state_dir.hpp"
#include "json_util.hpp"
#include "posix_io.hpp"

namespace claw_host {

namespace {

using detail::json_path_child;
using detail::kind_name;

constexpr std::size_t kMaxProfileIdLength = 128;
constexpr std::string_view kRecoveryHint =
    "fix it by hand, or move it away and run claw-host onboard again to re-enter the keys";

Result<void> validate_profile_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= kMaxProfileIdLength;
  for (char c : id) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
  if (!ok) {
    return make_error(ErrorCode::invalid_argument,
                      "invalid credential profile id (it must be 1-" + std::to_string(kMaxProfileIdLength) +
                          " printable characters); use the form <provider>:<name>, for example qwen:default");
  }
  return {};
}

Error bad_field(const std::filesystem::path& file, const std::string& path, std::string_view expected,
                const boost::json::value* found) {
  std::string message = file.string() + ": " + path + " must be " + std::string(expected);
  message += found ? ", found " + std::string(kind_name(*found)) : ", but it is missing";
  message += "; ";
  message += kRecoveryHint;
  return make_error(ErrorCode::invalid_data, std::move(message));
}

Result<std::string> required_string(const boost::json::object& profile, std::string_view key,
                                    const std::filesystem::path& file, const std::string& profile_path) {
  const auto* v = profile.if_contains(key);
  if (v == nullptr || !v->is_string() || v->get_string().empty()) {
    return bad_field(file, json_path_child(profile_path, key), "a non-empty string", v);
  }
  return std::string(v->get_string());
}

Result<std::string> optional_string(const boost::json::object& profile, std::string_view key,
                                    const std::filesystem::path& file, const std::string& profile_path) {
  const auto* v = profile.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return bad_field(file, json_path_child(profile_path, key), "a string", v);
  return std::string(v->get_string());
}

Result<std::optional<std::int64_t>> optional_millis(const boost::json::object& profile, std::string_view key,
                                                    const std::filesystem::path& file,
                                                    const std::string& profile_path) {
  const auto* v = profile.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<std::int64_t>{};
  if (v->is_int64()) return std::optional<std::int64_t>{v->get_int64()};
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v->get_uint64())};
  }
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 9e18) {
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v->get_double())};
  }
  return bad_field(file, json_path_child(profile_path, key), "a whole number of unix milliseconds", v);
}

Result<Credential> credential_from_json(const boost::json::value& value, const std::filesystem::path& file,
                                        const std::string& profile_path) {
  const auto* profile = value.if_object();
  if (profile == nullptr) return bad_field(file, profile_path, "an object", &value);
  auto provider = required_string(*profile, "provider", file, profile_path);
  if (!provider) return provider.error();
  auto kind = required_string(*profile, "kind", file, profile_path);
  if (!kind) return kind.error();
  if (*kind == "api_key") {
    auto key = required_string(*profile, "key", file, profile_path);
    if (!key) return key.error();
    return Credential{ApiKeyCredential{std::move(*provider), std::move(*key)}};
  }
  if (*kind == "oauth") {
    auto access = required_string(*profile, "access", file, profile_path);
    if (!access) return access.error();
    auto refresh = optional_string(*profile, "refresh", file, profile_path);
    if (!refresh) return refresh.error();
    auto expires = optional_millis(*profile, "expiresAt", file, profile_path);
    if (!expires) return expires.error();
    auto resource = optional_string(*profile, "resourceUrl", file, profile_path);
    if (!resource) return resource.error();
    return Credential{
        OAuthCredential{std::move(*provider), std::move(*access), std::move(*refresh), *expires, std::move(*resource)}};
  }
  // The unknown value is not echoed: whatever sits in this file may be secret.
  return make_error(ErrorCode::invalid_data,
                    file.string() + ": " + json_path_child(profile_path, "kind") +
                        " is not a kind this claw-host knows (\"api_key\" or \"oauth\"); upgrade claw-host, or "
                        "store the credential again with claw-host onboard");
}

boost::json::object credential_to_json(const Credential& credential) {
  boost::json::object out;
  if (const auto* api_key = std::get_if<ApiKeyCredential>(&credential)) {
    out["provider"] = api_key->provider;
    out["kind"] = "api_key";
    out["key"] = api_key->key;
  } else {
    const auto& oauth = std::get<OAuthCredential>(credential);
    out["provider"] = oauth.provider;
    out["kind"] = "oauth";
    out["access"] = oauth.access;
    if (!oauth.refresh.empty()) out["refresh"] = oauth.refresh;
    if (oauth.expires_at_ms) out["expiresAt"] = *oauth.expires_at_ms;
    if (!oauth.resource_url.empty()) out["resourceUrl"] = oauth.resource_url;
  }
  return out;
}

Result<void> validate_credential(const Credential& credential, std::string_view profile_id) {
  const auto id = std::string(profile_id);
  if (credential_provider(credential).empty()) {
    return make_error(ErrorCode::invalid_argument, "the credential for profile " + id +
                                                       " names no provider; set its provider (for example \"qwen\")");
  }
  if (credential_secret(credential).empty() ||
      credential_secret(credential).find_first_not_of(" \t\r\n") == std::string::npos) {
    return make_error(
        ErrorCode::invalid_argument,
        "refusing to store an empty " +
            std::string(std::holds_alternative<ApiKeyCredential>(credential) ? "API key" : "access token") +
            " for profile " + id + "; paste the full value and try again");
  }
  return {};
}

boost::json::object empty_store() {
  boost::json::object root;
  root["version"] = CredentialStore::kFormatVersion;
  root["profiles"] = boost::json::object();
  return root;
}

// Reads and checks the whole file. Missing file: an empty store.
Result<boost::json::object> read_store(const std::filesystem::path& file, std::vector<std::string>& notices) {
  detail::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return empty_store();
    return detail::io_error("open", file, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return detail::io_error("inspect", file, errno);
  if (!S_ISREG(st.st_mode)) {
    return make_error(
        ErrorCode::invalid_data,
        file.string() + " is not a regular file; move it away so claw-host can create the credential store");
  }
  if ((st.st_mode & 077) != 0) {
    // fchmod on the open descriptor: no window in which another file could be
    // swapped in under the same name.
    if (::fchmod(fd.get(), 0600) != 0) {
      return make_error(ErrorCode::permission,
                        "refusing to read " + file.string() + ": it is readable by other users (mode " +
                            detail::mode_string(st.st_mode) + ") and claw-host could not change that (" +
                            std::system_category().message(errno) + "); run: chmod 600 " + file.string());
    }
    notices.push_back(file.string() + " was readable by other users (mode " + detail::mode_string(st.st_mode) +
                      "); claw-host changed it to 0600. If others can log in to this machine, consider rotating "
                      "the keys stored in it");
  }
  auto text = detail::read_all(fd.get(), file);
  if (!text) return text.error();
  auto parsed = parse_jsonc(*text, file.string());
  if (!parsed) {
    return make_error(ErrorCode::parse_error, parsed.error().message + ". The credential store was left unchanged: " +
                                                  std::string(kRecoveryHint));
  }
  if (!parsed->is_object()) return bad_field(file, "the top level", "an object", &*parsed);
  auto root = std::move(parsed->get_object());

  if (const auto* version = root.if_contains("version")) {
    if (!version->is_int64() && !version->is_uint64()) return bad_field(file, "version", "a number", version);
    const auto number = version->is_int64() ? version->get_int64() : static_cast<std::int64_t>(version->get_uint64());
    if (number > CredentialStore::kFormatVersion || number < 1) {
      return make_error(ErrorCode::invalid_data,
                        file.string() + " has format version " + std::to_string(number) +
                            ", but this claw-host only "
                            "understands version 1; upgrade claw-host (the file was left unchanged)");
    }
  } else {
    root["version"] = CredentialStore::kFormatVersion;
  }
  if (const auto* profiles = root.if_contains("profiles")) {
    if (!profiles->is_object()) return bad_field(file, "profiles", "an object keyed by profile id", profiles);
  } else {
    root["profiles"] = boost::json::object();
  }
  return root;
}

std::string profile_path_of(std::string_view id) { return json_path_child("profiles", id); }

}  // namespace

const std::string& credential_provider(const Credential& credential) {
  return std::visit([](const auto& c) -> const std::string& { return c.provider; }, credential);
}

const std::string& credential_secret(const Credential& credential) {
  if (const auto* api_key = std::get_if<ApiKeyCredential>(&credential)) return api_key->key;
  return std::get<OAuthCredential>(credential).access;
}

CredentialStore::CredentialStore(std::filesystem::path file, CredentialStoreOptions options)
    : file_(std::move(file)), options_(std::move(options)) {}

Result<std::optional<Credential>> CredentialStore::get(std::string_view profile_id) const {
  if (auto valid = validate_profile_id(profile_id); !valid) return valid.error();
  auto root = read_store(file_, notices_);
  if (!root) return root.error();
  const auto& profiles = root->at("profiles").get_object();
  const auto* profile = profiles.if_contains(profile_id);
  if (profile == nullptr) return std::optional<Credential>{};
  auto credential = credential_from_json(*profile, file_, profile_path_of(profile_id));
  if (!credential) return credential.error();
  return std::optional<Credential>{std::move(*credential)};
}

Result<std::vector<std::string>> CredentialStore::profile_ids() const {
  auto root = read_store(file_, notices_);
  if (!root) return root.error();
  std::vector<std::string> ids;
  for (const auto& [id, profile] : root->at("profiles").get_object()) ids.emplace_back(id);
  return ids;
}

Result<void> CredentialStore::put(std::string_view profile_id, const Credential& credential) {
  auto stored =
      update(profile_id, [&](const std::optional<Credential>&) { return std::optional<Credential>(credential); });
  if (!stored) return stored.error();
  return {};
}

Result<std::optional<Credential>> CredentialStore::update(
    std::string_view profile_id,
    const std::function<std::optional<Credential>(const std::optional<Credential>&)>& change) {
  if (auto valid = validate_profile_id(profile_id); !valid) return valid.error();
  if (file_.has_parent_path()) {
    if (auto dir = ensure_directory(file_.parent_path()); !dir) return dir.error();
  }
  auto lock = FileLock::acquire(file_.string() + ".lock", options_.lock_timeout);
  if (!lock) return lock.error();
  // Every writer holds this lock, so a temp file seen now belongs to a writer that died.
  remove_stale_temp_files(file_);

  auto root = read_store(file_, notices_);
  if (!root) return root.error();
  auto& profiles = root->at("profiles").get_object();

  std::optional<Credential> current;
  if (const auto* profile = profiles.if_contains(profile_id)) {
    auto parsed = credential_from_json(*profile, file_, profile_path_of(profile_id));
    // A damaged entry may still be replaced: that is how a user repairs it.
    if (parsed) current = std::move(*parsed);
  }
  auto next = change(current);
  if (!next) return current;
  if (auto valid = validate_credential(*next, profile_id); !valid) return valid.error();

  profiles[profile_id] = credential_to_json(*next);
  AtomicWriteOptions write_options;
  write_options.mode = 0600;
  write_options.before_rename = options_.before_commit_for_tests;
  if (auto saved = write_file_atomically(file_, to_pretty_json(boost::json::value(std::move(*root))), write_options);
      !saved) {
    return saved.error();
  }
  return next;
}

Result<bool> CredentialStore::remove(std::string_view profile_id) {
  if (auto valid = validate_profile_id(profile_id); !valid) return valid.error();
  auto lock = FileLock::acquire(file_.string() + ".lock", options_.lock_timeout);
  if (!lock) {
    // No directory means no store, hence nothing to remove.
    if (lock.error().code == ErrorCode::not_found) return false;
    return lock.error();
  }
  remove_stale_temp_files(file_);
  auto root = read_store(file_, notices_);
  if (!root) return root.error();
  if (!root->at("profiles").get_object().erase(profile_id)) return false;
  AtomicWriteOptions write_options;
  write_options.mode = 0600;
  write_options.before_rename = options_.before_commit_for_tests;
  if (auto saved = write_file_atomically(file_, to_pretty_json(boost::json::value(std::move(*root))), write_options);
      !saved) {
    return saved.error();
  }
  return true;
}

std::vector<std::string> CredentialStore::take_notices() {
  std::vector<std::string> out;
  out.swap(notices_);
  return out;
}

}  // namespace claw_host
