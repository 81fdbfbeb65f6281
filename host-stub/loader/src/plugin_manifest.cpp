#include "claw_host/plugin_manifest.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <variant>

namespace claw_host {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "openclaw.plugin.json";

std::string string_field(const json::object& doc, std::string_view key) {
  const auto* value = doc.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// A manifest's library must be a plain file name beside the manifest: a
// manifest can never point the host at code elsewhere on the machine.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

std::variant<PluginManifest, std::string> read_manifest(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read the manifest; check its permissions";
  std::ostringstream text;
  text << in.rdbuf();
  json::error_code ec;
  auto value = json::parse(text.str(), ec);
  if (ec || !value.is_object()) {
    return "the manifest is not a JSON object (" + (ec ? ec.message() : std::string("wrong type")) +
           "); reinstall the plugin";
  }
  auto& doc = value.as_object();
  PluginManifest manifest;
  manifest.manifest_path = path;
  manifest.id = string_field(doc, "id");
  manifest.name = string_field(doc, "name");
  manifest.version = string_field(doc, "version");
  manifest.description = string_field(doc, "description");
  const auto library = string_field(doc, "library");
  if (manifest.id.empty()) return "the manifest has no \"id\"; reinstall the plugin";
  if (!is_plain_file_name(library)) {
    return "the manifest's \"library\" must be a file name beside the manifest; reinstall the plugin";
  }
  manifest.library_path = fs::absolute(path.parent_path() / library);
  const auto* abi = doc.if_contains("abi");
  if (abi == nullptr || !abi->is_object() || !abi->as_object().contains("major")) {
    return "the manifest has no \"abi\": {\"major\", \"minor\"}; reinstall the plugin";
  }
  const auto& versions = abi->as_object();
  json::error_code number_ec;
  manifest.abi_major = versions.at("major").to_number<unsigned>(number_ec);
  if (const auto* minor = versions.if_contains("minor")) {
    manifest.abi_minor = minor->to_number<unsigned>(number_ec);
  }
  if (number_ec) return "the manifest's \"abi\" versions are not numbers; reinstall the plugin";
  if (const auto* providers = doc.if_contains("providers"); providers && providers->is_array()) {
    for (const auto& provider : providers->as_array()) {
      if (provider.is_object()) manifest.provider_ids.push_back(string_field(provider.as_object(), "id"));
    }
  }
  manifest.document = std::move(doc);
  return manifest;
}

} // namespace

Discovery discover_plugins(const fs::path& plugin_dir) {
  Discovery found;
  found.plugin_dir = plugin_dir;
  std::error_code ec;
  found.dir_exists = fs::is_directory(plugin_dir, ec);
  if (!found.dir_exists) return found;

  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(plugin_dir, ec)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end()); // stable, predictable listing order

  for (const auto& path : entries) {
    if (fs::is_directory(path, ec)) {
      const auto manifest_path = path / kManifestName;
      if (!fs::exists(manifest_path, ec)) continue; // unrelated folder
      auto manifest = read_manifest(manifest_path);
      if (auto* problem = std::get_if<std::string>(&manifest)) {
        found.problems.push_back({manifest_path, *problem});
      } else {
        auto& plugin = std::get<PluginManifest>(manifest);
        if (!fs::exists(plugin.library_path, ec)) {
          found.problems.push_back(
              {manifest_path, "its library " + plugin.library_path.filename().string() +
                                  " is missing; reinstall the plugin"});
        } else {
          found.plugins.push_back(std::move(plugin));
        }
      }
    } else if (path.extension() == ".so") {
      found.problems.push_back({path, "a shared library with no openclaw.plugin.json; install "
                                      "plugins as <plugin dir>/<name>/ with their manifest"});
    }
  }
  return found;
}

} // namespace claw_host
