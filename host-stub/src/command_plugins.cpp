// `claw-host plugins list`: what is installed, from manifests only (no
// plugin code runs).
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>

namespace claw_host {

namespace {
constexpr const char* kHelp = R"(Usage: claw-host plugins list [--json]

Lists the provider plugins installed in the plugin directory by reading their
manifests (openclaw.plugin.json); no plugin code is loaded. Files that are not
usable plugins are listed with the reason.

Options:
  --json        machine-readable output
  --help        show this help
)";
} // namespace

int run_plugins(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"help", false}}, "plugins");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (cli.positionals().empty() || cli.positionals()[0] != "list" || cli.positionals().size() > 1) {
    throw CliError(kExitUsage, "Expected `claw-host plugins list`.", "Run `claw-host plugins --help`.");
  }
  const auto& found = session.discovery();
  if (cli.flag("json")) {
    boost::json::array plugins;
    for (const auto& plugin : found.plugins) {
      auto doc = plugin.document;
      doc["manifestPath"] = plugin.manifest_path.string();
      doc["libraryPath"] = plugin.library_path.string();
      plugins.push_back(std::move(doc));
    }
    boost::json::array problems;
    for (const auto& problem : found.problems) {
      problems.push_back({{"path", problem.path.string()}, {"problem", problem.message}});
    }
    std::cout << boost::json::serialize(boost::json::object{
                     {"pluginDir", found.plugin_dir.string()},
                     {"plugins", std::move(plugins)},
                     {"problems", std::move(problems)}})
              << '\n';
    return kExitOk;
  }
  std::cout << "Plugin directory: " << found.plugin_dir.string()
            << (found.dir_exists ? "" : " (does not exist yet)") << '\n';
  if (found.plugins.empty()) {
    std::cout << "No plugins installed. Install one as <plugin dir>/<name>/ with its "
                 "openclaw.plugin.json (see the README).\n";
  } else {
    std::vector<std::vector<std::string>> rows{{"ID", "VERSION", "ABI", "PROVIDERS", "LIBRARY"}};
    for (const auto& plugin : found.plugins) {
      std::string providers;
      for (const auto& id : plugin.provider_ids) providers += (providers.empty() ? "" : ",") + id;
      rows.push_back({plugin.id, plugin.version,
                      std::to_string(plugin.abi_major) + "." + std::to_string(plugin.abi_minor),
                      providers, plugin.library_path.string()});
    }
    std::cout << render_table(rows);
  }
  for (const auto& problem : found.problems) {
    std::cout << "skipped " << problem.path.string() << ": " << problem.message << '\n';
  }
  return kExitOk;
}

} // namespace claw_host
