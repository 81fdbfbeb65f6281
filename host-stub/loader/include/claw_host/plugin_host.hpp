// Loads provider plugins (the only code that knows about Boost.DLL) and keeps
// the provider registry they fill through the host table.
#pragma once

#include "claw_host/plugin_manifest.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claw_host {

struct RegisteredProvider {
  const oc_provider* table = nullptr; // plugin-owned, valid while the plugin is loaded
  std::string plugin_id;
  const oc_plugin_entry* entry = nullptr; // for status_name()
  boost::json::object descriptor; // parsed descriptor_json

  // The plugin's short name for a status code, eg "rate-limited".
  std::string status_name(oc_status status) const;
};

// What a model-ref's provider id resolves to.
struct ProviderResolution {
  const RegisteredProvider* provider = nullptr; // the canonical provider to call
  std::string requested_id;                     // as the user wrote it
  bool via_alias = false;
  std::string error; // when provider is null: names the problem and the fix
};

using LogSink = std::function<void(int level, std::string_view message)>;

class PluginHost {
public:
  explicit PluginHost(LogSink log = {});
  ~PluginHost(); // deinit every plugin (reverse order), then unload
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads and initialises one plugin. Returns an error message (naming the
  // problem and the fix) when the file is not a compatible plugin; the host
  // is then unchanged. Never crashes on a bad file.
  std::optional<std::string> load(const PluginManifest& manifest);

  // Loads every plugin of a discovery; failures are returned, not thrown.
  std::vector<DiscoveryProblem> load_all(const Discovery& discovery);

  const std::vector<RegisteredProvider>& providers() const;
  const RegisteredProvider* find(std::string_view provider_id) const;

  // Resolves a provider id for a call. An alias (eg "modelstudio") resolves
  // to its canonical provider, unless the user's config defines an exact
  // models.providers.<alias> entry whose "api" differs from the canonical
  // one: that custom provider then owns the id and the alias steps aside.
  ProviderResolution resolve(std::string_view provider_id, const boost::json::object& config) const;

  // The negotiated ABI version of a loaded plugin.
  std::optional<oc_version> negotiated_version(std::string_view plugin_id) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace claw_host
