// `claw-host providers list`: the providers the loaded plugins registered.
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>

namespace claw_host {

namespace json = boost::json;

namespace {
constexpr const char* kHelp = R"(Usage: claw-host providers list [--json] [--legacy]

Loads the installed plugins and lists the providers they register, with their
aliases, default model, capabilities and the auth choices that set them up.

Options:
  --legacy      also show legacy auth-choice ids (accepted, not offered)
  --json        machine-readable output
  --help        show this help
)";

std::string joined(const json::value* list, bool include_legacy) {
  std::string out;
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& item : list->as_array()) {
    std::string text;
    if (item.is_string()) {
      text = std::string(item.as_string());
    } else if (item.is_object()) {
      const auto& choice = item.as_object();
      const auto* legacy = choice.if_contains("legacy");
      if (!include_legacy && legacy != nullptr && legacy->is_bool() && legacy->as_bool()) continue;
      text = std::string(choice.at("id").as_string());
    }
    out += (out.empty() ? "" : ", ") + text;
  }
  return out;
}
} // namespace

int run_providers(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"legacy", false}, {"help", false}}, "providers");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (cli.positionals().size() != 1 || cli.positionals()[0] != "list") {
    throw CliError(kExitUsage, "Expected `claw-host providers list`.", "Run `claw-host providers --help`.");
  }
  const auto& providers = session.plugins().providers();
  if (cli.flag("json")) {
    json::array out;
    for (const auto& provider : providers) {
      auto doc = provider.descriptor;
      doc["plugin"] = provider.plugin_id;
      out.push_back(std::move(doc));
    }
    std::cout << json::serialize(out) << '\n';
    return kExitOk;
  }
  if (providers.empty()) {
    std::cout << "No providers: no plugin is installed in " << session.paths().plugin_dir.string()
              << ". Install the Qwen plugin there (see the README).\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"PROVIDER", "ALIAS OF", "DEFAULT MODEL", "CAPABILITIES", "AUTH CHOICES"}};
  for (const auto& provider : providers) {
    const auto& d = provider.descriptor;
    const auto* model = d.if_contains("defaultModel");
    rows.push_back({provider.table->id, provider.table->alias_of ? provider.table->alias_of : "-",
                    model && model->is_string() ? std::string(model->as_string()) : "-",
                    joined(d.if_contains("capabilities"), false),
                    provider.table->alias_of ? "(via " + std::string(provider.table->alias_of) + ")"
                                             : joined(d.if_contains("authChoices"), cli.flag("legacy"))});
  }
  std::cout << render_table(rows);
  return kExitOk;
}

} // namespace claw_host
