// `claw-host models list`: the model listing through the loaded plugin,
// endpoint-aware per the configured base URL.
#include "abi_call.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>

namespace claw_host {

namespace json = boost::json;

namespace {
constexpr const char* kHelp = R"(Usage: claw-host models list [--provider ID] [--all] [--json]

Lists models through the installed provider plugins. The listing follows the
endpoint you configured (onboarding writes it): on a Qwen Coding Plan endpoint,
models that only work on Standard (pay-as-you-go) endpoints are hidden; models
you list yourself under models.providers.<id>.models are always shown.
With no configuration at all, the default endpoint's catalog is shown.

Options:
  --provider ID   only this provider (aliases such as modelstudio work too)
  --all           include models the current endpoint hides, marked as such
  --json          an array of objects with the same fields
  --help          show this help

Flags column: default, reasoning, configured, available (or hidden: reason).
)";

std::string flags_of(const json::object& row) {
  std::string flags;
  auto add = [&](const char* name) { flags += (flags.empty() ? "" : ",") + std::string(name); };
  if (row.at("default").as_bool()) add("default");
  if (row.at("reasoning").as_bool()) add("reasoning");
  if (row.at("configured").as_bool()) add("configured");
  if (row.at("available").as_bool()) {
    add("available");
  } else {
    add("hidden");
  }
  return flags;
}

std::string input_of(const json::object& row) {
  std::string kinds;
  for (const auto& kind : row.at("input").as_array()) {
    kinds += (kinds.empty() ? "" : "+") + std::string(kind.as_string());
  }
  return kinds;
}
} // namespace

int run_models(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"provider", true}, {"all", false}, {"json", false}, {"help", false}},
              "models");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (cli.positionals().size() != 1 || cli.positionals()[0] != "list") {
    throw CliError(kExitUsage, "Expected `claw-host models list`.", "Run `claw-host models --help`.");
  }
  const bool as_json = cli.flag("json");
  const bool include_hidden = cli.flag("all");

  std::vector<ProviderResolution> targets;
  bool any_configured = false;
  if (const auto wanted = cli.value("provider")) {
    targets.push_back(session.resolve_provider(*wanted));
    any_configured = !session.provider_config_for(targets.back()).empty();
  } else {
    auto& host = session.plugins();
    if (host.providers().empty()) session.resolve_provider("qwen"); // throws: how to install
    for (const auto& provider : host.providers()) {
      if (provider.table->alias_of == nullptr && session.config().provider(provider.table->id)) {
        targets.push_back(session.resolve_provider(provider.table->id));
      }
    }
    any_configured = !targets.empty();
    if (!any_configured) {
      for (const auto& provider : host.providers()) {
        if (provider.table->alias_of == nullptr) targets.push_back(session.resolve_provider(provider.table->id));
      }
    }
  }

  json::array all_rows;
  std::string human;
  for (const auto& target : targets) {
    const auto& provider = *target.provider;
    const auto config = session.provider_config_for(target);
    const json::object request{{"providerConfig", config}, {"includeHidden", include_hidden}};
    AbiCall call;
    const auto text = json::serialize(request);
    const oc_status status = provider.table->list_models(provider.table, to_oc(text), call.sink(), call.error());
    if (status != OC_OK) {
      const auto failure = call.failure(status, provider);
      throw CliError(exit_code_for(status), failure.message, failure.hint);
    }
    auto rows = json::parse(call.output()).as_array();
    if (!as_json) {
      const auto* base = config.if_contains("baseUrl");
      const auto* fallback = provider.descriptor.if_contains("defaultBaseUrl");
      human += styled(stdout, provider.table->id, kBold) + "  " +
               std::string(base && base->is_string() ? base->as_string()
                                                     : fallback ? fallback->as_string() : "") +
               (base ? "" : " (default endpoint)") + "\n";
      std::vector<std::vector<std::string>> table{{"MODEL", "INPUT", "CONTEXT", "MAX OUT", "FLAGS"}};
      for (const auto& row_value : rows) {
        const auto& row = row_value.as_object();
        std::string flags = flags_of(row);
        if (const auto* reason = row.if_contains("hiddenReason")) {
          flags += " (" + std::string(reason->as_string()) + ")";
        }
        table.push_back({std::string(row.at("ref").as_string()), input_of(row),
                         with_thousands(row.at("contextWindow").to_number<unsigned long long>()),
                         with_thousands(row.at("maxTokens").to_number<unsigned long long>()), flags});
      }
      human += render_table(table) + "\n";
    }
    for (auto& row : rows) all_rows.push_back(std::move(row));
  }

  const char* onboard_note =
      "No Qwen provider is configured yet; this is the default endpoint's catalog. Set one up with "
      "`claw-host onboard --auth-choice qwen-api-key` (Coding Plan) or "
      "`--auth-choice qwen-standard-api-key` (pay-as-you-go); see `claw-host providers list`.\n";
  if (as_json) {
    std::cout << json::serialize(all_rows) << '\n';
    if (!any_configured) std::cerr << onboard_note;
  } else {
    std::cout << human;
    if (!any_configured) std::cout << onboard_note;
  }
  return kExitOk;
}

} // namespace claw_host
