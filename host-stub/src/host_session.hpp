// What every command needs, resolved once and only on first use: state
// paths, the user's config, the environment (.env included) and the loaded
// plugins.
#pragma once

#include "claw_host/config.hpp"
#include "claw_host/environment.hpp"
#include "claw_host/plugin_host.hpp"
#include "claw_host/state_dir.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace claw_host {

class HostSession {
public:
  explicit HostSession(std::optional<std::filesystem::path> plugin_dir_flag);
  ~HostSession();

  const StatePaths& paths() const { return paths_; }
  // Throws CliError(kExitConfig) with file:line:column for a malformed file.
  Config& config();
  const Environment& env();
  const Discovery& discovery();
  // Loads every discovered plugin; problems are printed to stderr once.
  PluginHost& plugins();

  // A provider for a call or listing; throws CliError naming the fix.
  ProviderResolution resolve_provider(std::string_view provider_id);
  // The user's models.providers entry for a resolved provider (the exact
  // requested id first, then the canonical one) without any apiKey.
  boost::json::object provider_config_for(const ProviderResolution& resolution);

  // Everything one plugin call needs: endpoint, config, key. Throws
  // CliError naming the fix when no key is found and one is required.
  struct CallTarget {
    ProviderResolution resolution;
    std::string base_url;        // override or config; empty = the plugin's default
    std::string provider_config; // JSON text, without apiKey
    std::string api_key;         // SECRET
    std::string key_origin;      // "from QWEN_API_KEY", never the value
    std::string ca_bundle;       // SSL_CERT_FILE, if set
    bool base_url_from_credential = false; // base_url is a Qwen Portal login's resourceUrl
  };
  CallTarget call_target(std::string_view provider_id, const std::optional<std::string>& base_url_override,
                         bool require_key);

private:
  StatePaths paths_;
  std::optional<Config> config_;
  std::optional<Environment> env_;
  std::optional<Discovery> discovery_;
  std::unique_ptr<PluginHost> plugins_;
};

} // namespace claw_host
