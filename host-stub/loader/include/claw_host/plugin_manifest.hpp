// Plugin discovery: reads openclaw.plugin.json manifests in a plugin
// directory without loading any plugin code.
#pragma once

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace claw_host {

struct PluginManifest {
  std::filesystem::path manifest_path;
  std::filesystem::path library_path; // absolute
  std::string id;
  std::string name;
  std::string version;
  std::string description;
  unsigned abi_major = 0;
  unsigned abi_minor = 0;
  std::vector<std::string> provider_ids;
  boost::json::object document; // the whole manifest, for --json output
};

// Something in the plugin directory that is not a usable plugin, and why.
struct DiscoveryProblem {
  std::filesystem::path path;
  std::string message; // names the problem and the fix
};

struct Discovery {
  std::filesystem::path plugin_dir;
  bool dir_exists = false;
  std::vector<PluginManifest> plugins;
  std::vector<DiscoveryProblem> problems;
};

// Layout: <plugin_dir>/<name>/openclaw.plugin.json naming its library file
// beside it. Also reports stray *.so files without a manifest. Never throws
// for bad content: each bad entry becomes a DiscoveryProblem.
Discovery discover_plugins(const std::filesystem::path& plugin_dir);

} // namespace claw_host
