#include "host_session.hpp"

#include "cli_error.hpp"
#include "claw_host/api_key_resolver.hpp"
#include "claw_host/credential_store.hpp"
#include "claw_host/dotenv.hpp"

#include <boost/json.hpp>

#include <iostream>

namespace claw_host {

HostSession::HostSession(std::optional<std::filesystem::path> plugin_dir_flag) {
  StateDirOptions options;
  options.plugin_dir_flag = std::move(plugin_dir_flag);
  auto paths = resolve_state_paths(options);
  if (!paths) throw CliError(kExitConfig, paths.error().message);
  paths_ = std::move(*paths);
}

HostSession::~HostSession() = default;

Config& HostSession::config() {
  if (!config_) {
    auto loaded = Config::load(paths_.config_file);
    if (!loaded) {
      throw CliError(kExitConfig, loaded.error().message,
                     "Fix the file by hand (nothing was changed), or move it aside to start over.");
    }
    config_ = std::move(*loaded);
  }
  return *config_;
}

const Environment& HostSession::env() {
  if (!env_) {
    auto dotenv = DotEnv::load(paths_.dotenv_file);
    if (!dotenv) {
      throw CliError(kExitConfig, dotenv.error().message, "Fix or remove " + paths_.dotenv_file.string() + ".");
    }
    env_.emplace(std::move(*dotenv));
  }
  return *env_;
}

const Discovery& HostSession::discovery() {
  if (!discovery_) discovery_ = discover_plugins(paths_.plugin_dir);
  return *discovery_;
}

PluginHost& HostSession::plugins() {
  if (!plugins_) {
    plugins_ = std::make_unique<PluginHost>([](int level, std::string_view message) {
      if (level >= OC_LOG_WARNING) std::cerr << "plugin: " << message << '\n';
    });
    const auto& found = discovery();
    for (const auto& problem : found.problems) {
      std::cerr << "warning: skipped " << problem.path.string() << ": " << problem.message << '\n';
    }
    for (const auto& problem : plugins_->load_all(found)) {
      std::cerr << "warning: skipped " << problem.path.string() << ": " << problem.message << '\n';
    }
  }
  return *plugins_;
}

ProviderResolution HostSession::resolve_provider(std::string_view provider_id) {
  auto& host = plugins();
  if (host.providers().empty()) {
    throw CliError(kExitPlugin, "No provider plugins are installed in " + paths_.plugin_dir.string() + ".",
                   "Install the Qwen plugin there (see the README), or point --plugin-dir / "
                   "OPENCLAW_PLUGIN_DIR at the folder that holds it.");
  }
  auto resolution = host.resolve(provider_id, config().root());
  if (resolution.provider == nullptr) throw CliError(kExitPlugin, resolution.error);
  return resolution;
}

boost::json::object HostSession::provider_config_for(const ProviderResolution& resolution) {
  const auto& cfg = config();
  const auto* entry = cfg.provider(resolution.requested_id);
  if (entry == nullptr) entry = cfg.provider(resolution.provider->table->id);
  boost::json::object out = entry != nullptr ? *entry : boost::json::object{};
  out.erase("apiKey"); // secrets travel only in oc_call_context.api_key
  return out;
}

HostSession::CallTarget HostSession::call_target(std::string_view provider_id,
                                                const std::optional<std::string>& base_url_override,
                                                bool require_key) {
  CallTarget target;
  target.resolution = resolve_provider(provider_id);
  const auto config = provider_config_for(target.resolution);
  target.provider_config = boost::json::serialize(config);
  if (base_url_override) {
    target.base_url = *base_url_override;
  } else if (const auto* base = config.if_contains("baseUrl"); base && base->is_string()) {
    target.base_url = std::string(base->as_string());
  }
  if (const auto ca = env().get("SSL_CERT_FILE")) target.ca_bundle = *ca;

  const std::string canonical = target.resolution.provider->table->id;
  CredentialStore store(paths_.credentials_file);
  const ApiKeySources sources{this->config(), store, env()};
  auto key = resolve_api_key(canonical, sources);
  if (key) {
    target.api_key = key->key;
    target.key_origin = key->describe();
    // A Qwen Portal login names its own API base (resourceUrl); a configured baseUrl still wins.
    if (target.base_url.empty() && canonical == "qwen-oauth" && key->source == ApiKeySource::credential_store) {
      auto stored = store.get(key->origin);
      const auto* oauth = stored && *stored ? std::get_if<OAuthCredential>(&**stored) : nullptr;
      if (oauth != nullptr && !oauth->resource_url.empty()) {
        target.base_url = oauth->resource_url;
        target.base_url_from_credential = true;
      }
    }
  } else if (require_key) {
    const bool portal = canonical == "qwen-oauth";
    throw CliError(kExitAuth, key.error().message,
                   portal ? "Run `claw-host login qwen-oauth`, or `claw-host onboard --auth-choice qwen-oauth`."
                          : "Run `claw-host onboard --auth-choice qwen-api-key` (or qwen-standard-api-key), "
                            "or set QWEN_API_KEY.");
  }
  return target;
}

} // namespace claw_host
