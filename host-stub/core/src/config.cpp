#include "claw_host/config.hpp"

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
using detail::object_member;
using detail::string_member;

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::optional<std::string> non_blank(std::optional<std::string> s) {
  if (!s || is_blank(*s)) return std::nullopt;
  return s;
}

// Walks the known keys; the first mismatch becomes the error.
class ShapeChecker {
 public:
  explicit ShapeChecker(std::string_view source) : source_(source) {}

  Result<void> check(const boost::json::value& root) {
    const auto* top = root.if_object();
    if (top == nullptr) {
      return make_error(ErrorCode::invalid_data,
                        std::string(source_) + ": the top level must be a JSON object, found " +
                            std::string(kind_name(root)) + "; wrap the settings in { } (an empty config is just {})");
    }
    if (auto r = check_models(*top); !r) return r;
    if (auto r = check_agents(*top); !r) return r;
    return check_auth(*top);
  }

 private:
  Error wrong(const std::string& path, const boost::json::value& found, std::string_view expected) const {
    return make_error(ErrorCode::invalid_data, std::string(source_) + ": " + path + " must be " +
                                                   std::string(expected) + ", found " + std::string(kind_name(found)) +
                                                   "; edit the file so that " + path + " is " + std::string(expected));
  }

  // The object at parent[key] (nullptr if absent), or an error if it is something else.
  Result<const boost::json::object*> object_at(const boost::json::object& parent, const std::string& parent_path,
                                               std::string_view key, std::string_view expected = "an object") const {
    const auto* v = parent.if_contains(key);
    if (v == nullptr) return static_cast<const boost::json::object*>(nullptr);
    if (!v->is_object()) return wrong(json_path_child(parent_path, key), *v, expected);
    return &v->get_object();
  }

  Result<void> string_at(const boost::json::object& parent, const std::string& parent_path, std::string_view key,
                         std::string_view expected = "a string") const {
    const auto* v = parent.if_contains(key);
    if (v != nullptr && !v->is_string()) return wrong(json_path_child(parent_path, key), *v, expected);
    return {};
  }

  Result<void> check_models(const boost::json::object& top) {
    auto models = object_at(top, "", "models");
    if (!models) return models.error();
    if (*models == nullptr) return {};
    auto providers =
        object_at(**models, "models", "providers", "an object keyed by provider id, such as { \"qwen\": { ... } }");
    if (!providers) return providers.error();
    if (*providers == nullptr) return {};
    for (const auto& [id, entry] : **providers) {
      const auto path = json_path_child("models.providers", id);
      if (!entry.is_object()) return wrong(path, entry, "an object such as { \"baseUrl\": \"https://...\" }");
      const auto& provider = entry.get_object();
      if (auto r = string_at(provider, path, "baseUrl",
                             "a string such as \"https://dashscope-intl.aliyuncs.com/compatible-mode/v1\"");
          !r)
        return r;
      if (auto r = string_at(provider, path, "api", "a string such as \"openai-completions\""); !r) return r;
      if (auto r = string_at(provider, path, "apiKey", "a string (or better: leave it out and run claw-host onboard)");
          !r)
        return r;
      const auto* list = provider.if_contains("models");
      if (list == nullptr) continue;
      const auto list_path = json_path_child(path, "models");
      if (!list->is_array()) return wrong(list_path, *list, "an array such as [ { \"id\": \"qwen3.5-plus\" } ]");
      std::size_t index = 0;
      for (const auto& model : list->get_array()) {
        const auto model_path = list_path + "[" + std::to_string(index++) + "]";
        if (!model.is_object()) return wrong(model_path, model, "an object such as { \"id\": \"qwen3.5-plus\" }");
        const auto id_value = string_member(model.get_object(), "id");
        if (!id_value || is_blank(*id_value)) {
          return make_error(ErrorCode::invalid_data, std::string(source_) + ": " + model_path +
                                                         " has no \"id\"; add the model id, for example "
                                                         "\"id\": \"qwen3.5-plus\", or remove the entry");
        }
      }
    }
    return {};
  }

  Result<void> check_agents(const boost::json::object& top) {
    auto agents = object_at(top, "", "agents");
    if (!agents) return agents.error();
    if (*agents == nullptr) return {};
    auto defaults = object_at(**agents, "agents", "defaults");
    if (!defaults) return defaults.error();
    if (*defaults == nullptr) return {};
    if (const auto* model = (*defaults)->if_contains("model"); model != nullptr && !model->is_string()) {
      if (!model->is_object()) {
        return wrong("agents.defaults.model", *model, "an object such as { \"primary\": \"qwen/qwen3.5-plus\" }");
      }
      if (auto r = string_at(model->get_object(), "agents.defaults.model", "primary",
                             "a model ref string such as \"qwen/qwen3.5-plus\"");
          !r) {
        return r;
      }
    }
    auto models = object_at(**defaults, "agents.defaults", "models",
                            "an object keyed by model ref, such as { \"qwen/qwen3.5-plus\": {} }");
    if (!models) return models.error();
    if (*models != nullptr) {
      for (const auto& [ref, entry] : **models) {
        if (!entry.is_object())
          return wrong(json_path_child("agents.defaults.models", ref), entry, "an object (use {} for none)");
      }
    }
    return {};
  }

  Result<void> check_auth(const boost::json::object& top) {
    auto auth = object_at(top, "", "auth");
    if (!auth) return auth.error();
    if (*auth == nullptr) return {};
    auto profiles =
        object_at(**auth, "auth", "profiles", "an object keyed by profile id, such as { \"qwen:default\": { ... } }");
    if (!profiles) return profiles.error();
    if (*profiles == nullptr) return {};
    for (const auto& [id, entry] : **profiles) {
      if (!entry.is_object()) {
        return wrong(json_path_child("auth.profiles", id), entry,
                     "an object such as { \"provider\": \"qwen\", \"mode\": \"api_key\" }");
      }
    }
    return {};
  }

  std::string_view source_;
};

}  // namespace

Result<void> validate_config_shape(const boost::json::value& root, std::string_view source_name) {
  return ShapeChecker(source_name).check(root);
}

Config::Config(std::filesystem::path file) : file_(std::move(file)) {}

Result<Config> Config::parse(std::string_view text, const std::filesystem::path& file) {
  Config config(file);
  config.disk_text_ = std::string(text);
  if (is_blank(text)) return config;  // an empty (e.g. just touched) file is an empty config
  const auto source = file.empty() ? std::string("config") : file.string();
  auto parsed = parse_jsonc(text, source);
  if (!parsed) {
    return make_error(
        parsed.error().code,
        parsed.error().message + ". The file was left unchanged; claw-host will not write it until it parses");
  }
  if (auto shape = validate_config_shape(*parsed, source); !shape) return shape.error();
  config.root_ = std::move(parsed->get_object());
  config.had_comments_ = jsonc_has_comments(text);
  return config;
}

Result<Config> Config::load(const std::filesystem::path& file) {
  auto text = detail::read_file_if_exists(file);
  if (!text) return text.error();
  if (!*text) return Config(file);
  return parse(**text, file);
}

const boost::json::object* Config::provider(std::string_view id) const {
  const auto* models = object_member(root_, "models");
  const auto* providers = models ? object_member(*models, "providers") : nullptr;
  return providers ? object_member(*providers, id) : nullptr;
}

std::optional<std::string> Config::provider_base_url(std::string_view id) const {
  const auto* entry = provider(id);
  return entry ? non_blank(string_member(*entry, "baseUrl")) : std::nullopt;
}

std::optional<std::string> Config::provider_api(std::string_view id) const {
  const auto* entry = provider(id);
  return entry ? non_blank(string_member(*entry, "api")) : std::nullopt;
}

std::optional<std::string> Config::provider_api_key(std::string_view id) const {
  const auto* entry = provider(id);
  return entry ? non_blank(string_member(*entry, "apiKey")) : std::nullopt;
}

const boost::json::array* Config::provider_models(std::string_view id) const {
  const auto* entry = provider(id);
  const auto* models = entry ? entry->if_contains("models") : nullptr;
  return models ? models->if_array() : nullptr;
}

std::vector<std::string> Config::provider_model_ids(std::string_view id) const {
  std::vector<std::string> ids;
  if (const auto* models = provider_models(id)) {
    for (const auto& model : *models) {
      if (const auto* object = model.if_object()) {
        if (auto model_id = non_blank(string_member(*object, "id"))) ids.push_back(std::move(*model_id));
      }
    }
  }
  return ids;
}

std::optional<std::string> Config::primary_model() const {
  const auto* agents = object_member(root_, "agents");
  const auto* defaults = agents ? object_member(*agents, "defaults") : nullptr;
  const auto* model = defaults ? defaults->if_contains("model") : nullptr;
  if (model == nullptr) return std::nullopt;
  if (model->is_string()) return non_blank(std::string(model->get_string()));
  if (const auto* object = model->if_object()) return non_blank(string_member(*object, "primary"));
  return std::nullopt;
}

const boost::json::object* Config::default_models() const {
  const auto* agents = object_member(root_, "agents");
  const auto* defaults = agents ? object_member(*agents, "defaults") : nullptr;
  return defaults ? object_member(*defaults, "models") : nullptr;
}

const boost::json::object* Config::auth_profiles() const {
  const auto* auth = object_member(root_, "auth");
  return auth ? object_member(*auth, "profiles") : nullptr;
}

Result<ConfigSaveReport> Config::save() {
  if (file_.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "this config has no file to be saved to; load it with Config::load(<state dir>/openclaw.json)");
  }
  // Never write a document this host would refuse to read back.
  if (auto shape = validate_config_shape(boost::json::value(root_), file_.string()); !shape) return shape.error();
  if (file_.has_parent_path()) {
    if (auto dir = ensure_directory(file_.parent_path()); !dir) return dir.error();
  }
  auto lock = FileLock::acquire(file_.string() + ".lock");
  if (!lock) return lock.error();

  auto current = detail::read_file_if_exists(file_);
  if (!current) return current.error();
  if (*current != disk_text_) {
    return make_error(ErrorCode::conflict,
                      file_.string() +
                          " changed on disk after claw-host read it (edited by hand or by another "
                          "claw-host?); nothing was written: run the command again so it starts from "
                          "the current file");
  }

  ConfigSaveReport report;
  std::string text = to_pretty_json(boost::json::value(root_));
  if (*current && **current == text) return report;

  if (*current && jsonc_has_comments(**current)) {
    // Only a commented original is backed up, so a later save of the
    // (comment-free) rewritten file can never clobber the backup.
    auto backup = std::filesystem::path(file_.string() + ".bak");
    if (auto saved = write_file_atomically(backup, **current, {.mode = 0600, .before_rename = {}}); !saved) {
      return make_error(saved.error().code, "not saving " + file_.string() +
                                                ": it contains comments that the rewrite would drop, and backing it "
                                                "up failed (" +
                                                saved.error().message + ")");
    }
    report.backup_file = backup;
    report.notices.push_back(file_.string() +
                             " contained comments, which cannot be kept when claw-host rewrites it; "
                             "the original is saved as " +
                             backup.string() + " (copy back any comments you want to keep)");
  }

  if (auto saved = write_file_atomically(file_, text, {.mode = 0600, .before_rename = {}}); !saved)
    return saved.error();
  report.written = true;
  disk_text_ = std::move(text);
  had_comments_ = false;
  return report;
}

}  // namespace claw_host
