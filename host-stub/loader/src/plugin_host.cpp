#include "claw_host/plugin_host.hpp"

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>

#include <cstring>

namespace claw_host {

namespace json = boost::json;

namespace {

constexpr oc_version kHostAbi{OC_ABI_VERSION_MAJOR, OC_ABI_VERSION_MINOR, OC_ABI_VERSION_PATCH};

std::string version_text(const oc_version& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

void copy_text(char* out, std::size_t capacity, std::string_view text) {
  const auto n = std::min(text.size(), capacity - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

} // namespace

struct PluginHost::Impl {
  struct LoadedPlugin {
    std::string id;
    boost::dll::shared_library library;
    const oc_plugin_entry* entry = nullptr;
    oc_version negotiated{};
  };

  LogSink log;
  oc_host host_table{};
  std::vector<LoadedPlugin> plugins;
  std::vector<RegisteredProvider> providers;
  std::string loading_plugin_id; // set only while a plugin's init() runs
  const oc_plugin_entry* loading_entry = nullptr;

  static void OC_ABI log_cb(void* data, int32_t level, oc_str message) {
    auto* self = static_cast<Impl*>(data);
    if (self->log) self->log(level, std::string_view(message.ptr, message.len));
  }

  static oc_status OC_ABI register_cb(void* data, const oc_provider* provider, oc_error* err) {
    auto* self = static_cast<Impl*>(data);
    auto reject = [&](std::string message) {
      if (err != nullptr && OC_HAS_FIELD(err, oc_error, message)) {
        err->code = OC_ERR_INVALID_ARGUMENT;
        copy_text(err->message, sizeof err->message, message);
      }
      return OC_ERR_INVALID_ARGUMENT;
    };
    if (self->loading_plugin_id.empty()) {
      return reject("register_provider is only legal during init()");
    }
    if (provider == nullptr || !OC_HAS_FIELD(provider, oc_provider, get_capability) ||
        provider->id == nullptr || provider->descriptor_json == nullptr ||
        provider->list_models == nullptr) {
      return reject("provider table is incomplete (id, descriptor_json and list_models are required)");
    }
    for (const auto& existing : self->providers) {
      if (std::strcmp(existing.table->id, provider->id) == 0) {
        return reject(std::string("provider id '") + provider->id +
                      "' is already registered by plugin '" + existing.plugin_id + "'");
      }
    }
    json::error_code ec;
    auto descriptor = json::parse(provider->descriptor_json, ec);
    if (ec || !descriptor.is_object()) {
      return reject(std::string("descriptor_json of provider '") + provider->id + "' is not a JSON object");
    }
    self->providers.push_back(
        {provider, self->loading_plugin_id, self->loading_entry, std::move(descriptor.as_object())});
    return OC_OK;
  }

  static const void* OC_ABI extension_cb(void*, const char*) { return nullptr; }

  void drop_providers_of(const std::string& plugin_id) {
    std::erase_if(providers, [&](const RegisteredProvider& p) { return p.plugin_id == plugin_id; });
  }
};

PluginHost::PluginHost(LogSink log) : impl_(std::make_unique<Impl>()) {
  impl_->log = std::move(log);
  auto& table = impl_->host_table;
  table.struct_size = sizeof(oc_host);
  table.abi_version = kHostAbi;
  table.host_data = impl_.get();
  table.host_name = "claw-host";
  table.host_version = "0.1.0";
  table.log = &Impl::log_cb;
  table.register_provider = &Impl::register_cb;
  table.get_extension = &Impl::extension_cb;
}

PluginHost::~PluginHost() {
  // Providers point into plugin memory: forget them before anything unloads.
  impl_->providers.clear();
  for (auto it = impl_->plugins.rbegin(); it != impl_->plugins.rend(); ++it) {
    if (it->entry != nullptr && it->entry->deinit != nullptr) it->entry->deinit();
  }
  impl_->plugins.clear();
}

std::optional<std::string> PluginHost::load(const PluginManifest& manifest) {
  const std::string where = manifest.library_path.string();
  // Cheap pre-load check from the manifest: never run code we will refuse.
  if (manifest.abi_major != kHostAbi.major) {
    return "plugin '" + manifest.id + "' needs provider ABI " + std::to_string(manifest.abi_major) +
           ".x but claw-host speaks " + std::to_string(kHostAbi.major) +
           ".x; install a build of the plugin made for this host";
  }
  for (const auto& loaded : impl_->plugins) {
    if (loaded.id == manifest.id) return std::nullopt; // already loaded
  }

  Impl::LoadedPlugin plugin;
  plugin.id = manifest.id;
  try {
    // RTLD_LOCAL: a plugin's symbols never interpose on another's.
    plugin.library.load(manifest.library_path, boost::dll::load_mode::rtld_local |
                                                   boost::dll::load_mode::rtld_now);
  } catch (const std::exception& e) {
    return where + " is not a loadable shared library (" + e.what() +
           "); reinstall the plugin or remove the file";
  }
  if (!plugin.library.has(OC_PLUGIN_ENTRY_SYMBOL)) {
    return where + " does not export " OC_PLUGIN_ENTRY_SYMBOL "; it is not an OpenClaw provider plugin";
  }
  plugin.entry = &plugin.library.get<const oc_plugin_entry>(OC_PLUGIN_ENTRY_SYMBOL);
  const auto* entry = plugin.entry;
  if (!OC_HAS_FIELD(entry, oc_plugin_entry, abi_version)) {
    return where + ": its entry struct is truncated; reinstall the plugin";
  }
  if (entry->abi_version.major != kHostAbi.major) {
    return "plugin '" + manifest.id + "' was built for provider ABI " +
           version_text(entry->abi_version) + " but claw-host speaks " + version_text(kHostAbi) +
           " (major versions differ); install a build of the plugin made for ABI " +
           std::to_string(kHostAbi.major) + ".x";
  }
  if (!OC_HAS_FIELD(entry, oc_plugin_entry, deinit) || entry->init == nullptr ||
      entry->deinit == nullptr) {
    return where + ": its entry has no init/deinit; reinstall the plugin";
  }

  oc_error error{};
  error.struct_size = sizeof error;
  impl_->loading_plugin_id = manifest.id;
  impl_->loading_entry = entry;
  const oc_status status =
      entry->init(&impl_->host_table, where.c_str(), &plugin.negotiated, &error);
  impl_->loading_plugin_id.clear();
  impl_->loading_entry = nullptr;
  if (status != OC_OK) {
    impl_->drop_providers_of(manifest.id); // init failed: the host must not call deinit
    return "plugin '" + manifest.id + "' failed to initialise: " + error.message +
           (error.hint[0] != '\0' ? std::string(" (") + error.hint + ")" : std::string());
  }
  impl_->plugins.push_back(std::move(plugin));
  return std::nullopt;
}

std::vector<DiscoveryProblem> PluginHost::load_all(const Discovery& discovery) {
  std::vector<DiscoveryProblem> problems;
  for (const auto& manifest : discovery.plugins) {
    if (auto problem = load(manifest)) problems.push_back({manifest.library_path, *problem});
  }
  return problems;
}

std::string RegisteredProvider::status_name(oc_status status) const {
  if (entry != nullptr && OC_HAS_FIELD(entry, oc_plugin_entry, status_name) &&
      entry->status_name != nullptr) {
    if (const char* name = entry->status_name(status)) return name;
  }
  return status < 0 ? "error" : "ok";
}

const std::vector<RegisteredProvider>& PluginHost::providers() const { return impl_->providers; }

const RegisteredProvider* PluginHost::find(std::string_view provider_id) const {
  for (const auto& provider : impl_->providers) {
    if (provider_id == provider.table->id) return &provider;
  }
  return nullptr;
}

ProviderResolution PluginHost::resolve(std::string_view provider_id,
                                       const json::object& config) const {
  ProviderResolution out;
  out.requested_id = std::string(provider_id);
  const auto* provider = find(provider_id);
  if (provider == nullptr) {
    out.error = "No plugin provides '" + std::string(provider_id) +
                "'. Run `claw-host providers list` to see the installed providers.";
    return out;
  }
  const char* alias_of = provider->table->alias_of;
  if (alias_of == nullptr) {
    out.provider = provider;
    return out;
  }
  // The ownership rule: an exact custom entry with another api owns the id.
  const json::value* entry = config.if_contains("models");
  for (const auto key : {std::string_view("providers"), provider_id}) {
    if (entry == nullptr) break;
    entry = entry->is_object() ? entry->as_object().if_contains(key) : nullptr;
  }
  if (entry != nullptr && entry->is_object()) {
    const auto* api = entry->as_object().if_contains("api");
    const auto* ours = provider->descriptor.if_contains("api");
    if (api != nullptr && ours != nullptr && *api != *ours) {
      out.error = "'" + std::string(provider_id) + "' is a custom provider in your config (api " +
                  json::serialize(*api) + "); claw-host cannot call that api. Use '" + alias_of +
                  "/<model>' refs for the Qwen provider.";
      return out;
    }
  }
  out.provider = find(alias_of);
  out.via_alias = true;
  if (out.provider == nullptr) {
    out.error = "'" + std::string(provider_id) + "' is an alias of '" + alias_of +
                "', which no installed plugin provides.";
  }
  return out;
}

std::optional<oc_version> PluginHost::negotiated_version(std::string_view plugin_id) const {
  for (const auto& plugin : impl_->plugins) {
    if (plugin.id == plugin_id) return plugin.negotiated;
  }
  return std::nullopt;
}

} // namespace claw_host
