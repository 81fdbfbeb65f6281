// The user's config, <state dir>/openclaw.json, in OpenClaw's shape:
//
//   {
//     "models": { "providers": { "<id>": { "baseUrl", "api", "apiKey", "models": [ { "id", ... } ] } } },
//     "agents": { "defaults": { "model": { "primary": "qwen/qwen3.5-plus" },
//                               "models": { "qwen/<id>": { ... } } } },
//     "auth":   { "profiles": { "qwen:default": { "provider": "qwen", "mode": "api_key" } } }
//   }
//
// Rules that protect what the user wrote:
//  * a missing file is an empty config; a malformed one is an error with
//    file:line:column, and nothing is ever written over it;
//  * the keys above are type-checked at load and before save, unknown keys
//    are carried through untouched;
//  * save() refuses if the file changed on disk since it was read (a hand edit
//    made while the host ran is never silently lost);
//  * comments cannot survive a rewrite, so a commented file is first copied to
//    openclaw.json.bak and the returned notice says so;
//  * the file is written atomically with mode 0600, because `apiKey` may sit
//    in it (OpenClaw writes its config 0600 for the same reason).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claw_host/result.hpp"

namespace claw_host {

struct ConfigSaveReport {
  bool written = false;                              // false: the file already had this exact content
  std::optional<std::filesystem::path> backup_file;  // set when a commented original was backed up
  std::vector<std::string> notices;                  // one line each, for the user
};

class Config {
 public:
  // An empty config that save() would write to `file`.
  explicit Config(std::filesystem::path file = {});

  // Missing file: empty config. Malformed file: ErrorCode::parse_error
  // ("<file>:<line>:<col>: ..."). Wrong types in known keys: ErrorCode::invalid_data.
  static Result<Config> load(const std::filesystem::path& file);
  // As load(), for text that is (or will be compared against) the content of `file`.
  static Result<Config> parse(std::string_view text, const std::filesystem::path& file);

  const std::filesystem::path& file() const noexcept { return file_; }
  bool had_comments() const noexcept { return had_comments_; }

  const boost::json::object& root() const noexcept { return root_; }
  boost::json::object& root() noexcept { return root_; }

  // models.providers.<id>, or nullptr.
  const boost::json::object* provider(std::string_view id) const;
  // Strings of a provider entry; an empty or blank string counts as unset.
  std::optional<std::string> provider_base_url(std::string_view id) const;
  std::optional<std::string> provider_api(std::string_view id) const;
  std::optional<std::string> provider_api_key(std::string_view id) const;
  // models.providers.<id>.models, or nullptr; entries are objects with an "id".
  const boost::json::array* provider_models(std::string_view id) const;
  std::vector<std::string> provider_model_ids(std::string_view id) const;
  // agents.defaults.model.primary (OpenClaw also accepts a plain string for agents.defaults.model).
  std::optional<std::string> primary_model() const;
  // agents.defaults.models and auth.profiles, or nullptr.
  const boost::json::object* default_models() const;
  const boost::json::object* auth_profiles() const;

  // Writes root() to file(): validated, atomic, 0600. See the rules above.
  Result<ConfigSaveReport> save();

 private:
  std::filesystem::path file_;
  boost::json::object root_;
  std::optional<std::string> disk_text_;  // the bytes last read from / written to file_ (nullopt: no file)
  bool had_comments_ = false;
};

// Type-checks the keys this host reads. Errors name the JSON path, what was
// found and what to write instead, prefixed with `source_name`.
Result<void> validate_config_shape(const boost::json::value& root, std::string_view source_name);

}  // namespace claw_host
