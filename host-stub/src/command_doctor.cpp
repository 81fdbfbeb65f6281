// `claw-host doctor`: checks the whole setup without calling any API: state
// dir, config, credential file, plugins, and per configured provider its
// endpoint, key source, default model and media availability.
#include "abi_call.hpp"
#include "call_context.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"

#include "claw_host/credential_store.hpp"
#include "claw_host/redact.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <iostream>
#include <sys/stat.h>

namespace claw_host {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host doctor [--json]

Checks the setup without calling any API: the state directory, the config
file (reported as file:line:column when malformed), the credential file's
permissions, the installed plugins, and for each configured provider (qwen
when none is) its endpoint, where its key comes from (redacted), whether the
default model is served there, and whether media understanding is available.

Exit code 0 when everything is usable, 1 when a problem was found (each
problem line says how to fix it).

Options:
  --json   machine-readable report
  --help   show this help
)";

struct Report {
  json::array checks;
  bool problems = false;

  void add(std::string subject, bool ok, std::string detail, std::string fix = {}) {
    if (!ok) problems = true;
    json::object check{{"subject", subject}, {"ok", ok}, {"detail", detail}};
    if (!fix.empty()) check["fix"] = fix;
    checks.push_back(std::move(check));
  }
};

std::string mode_of(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  return text;
}

void check_state(HostSession& session, Report& report) {
  const auto& paths = session.paths();
  std::error_code ec;
  if (fs::is_directory(paths.state_dir, ec)) {
    report.add("state dir", true, paths.state_dir.string() + " (mode " + mode_of(paths.state_dir) + ")");
  } else {
    report.add("state dir", true, paths.state_dir.string() + " (not created yet; onboarding creates it)");
  }
  try {
    const bool exists = fs::exists(paths.config_file, ec);
    session.config();
    report.add("config", true, paths.config_file.string() + (exists ? " (valid)" : " (none yet)"));
  } catch (const CliError& e) {
    report.add("config", false, e.what(), "Fix the file by hand (claw-host never overwrites a malformed config).");
  }
  if (fs::exists(paths.credentials_file, ec)) {
    const auto mode = mode_of(paths.credentials_file);
    const bool private_mode = mode == "0600" || mode == "0400";
    CredentialStore store(paths.credentials_file);
    const auto profiles = store.profile_ids();
    report.add("credentials", private_mode && profiles.has_value(),
               paths.credentials_file.string() + " (mode " + mode + ", " +
                   (profiles ? std::to_string(profiles->size()) + (profiles->size() == 1 ? " profile" : " profiles")
                             : profiles.error().message) + ")",
               private_mode ? "" : "Run `chmod 600 " + paths.credentials_file.string() + "`.");
  } else {
    report.add("credentials", true, "no credential file yet (keys may come from the environment)");
  }
}

void check_plugins(HostSession& session, Report& report) {
  const auto& found = session.discovery();
  auto& host = session.plugins();
  report.add("plugins", !host.providers().empty(),
             session.paths().plugin_dir.string() + ": " + std::to_string(found.plugins.size()) + " installed, " +
                 std::to_string(host.providers().size()) + " providers registered",
             host.providers().empty() ? "Install the Qwen plugin into the plugin directory (see the README)." : "");
  for (const auto& problem : found.problems) {
    report.add("plugin file", false, problem.path.string() + ": " + problem.message);
  }
}

std::string string_of(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

void check_provider(HostSession& session, const std::string& provider_id, Report& report) {
  const std::string subject = "provider " + provider_id;
  HostSession::CallTarget target;
  try {
    target = session.call_target(provider_id, std::nullopt, false);
  } catch (const CliError& e) {
    report.add(subject, false, e.what(), e.hint());
    return;
  }
  const auto& provider = *target.resolution.provider;
  const auto default_base = string_of(provider.descriptor.if_contains("defaultBaseUrl"));
  report.add(subject + " endpoint", true,
             target.base_url.empty() ? default_base + " (default)" : target.base_url);
  if (target.api_key.empty()) {
    report.add(subject + " key", false, "no key found",
               provider_id == "qwen-oauth" ? "Run `claw-host login qwen-oauth`."
                                           : "Run `claw-host onboard --auth-choice qwen-api-key` or set QWEN_API_KEY.");
  } else {
    report.add(subject + " key", true, redact(target.api_key) + " " + target.key_origin);
  }

  // The default model, resolved by the plugin on this endpoint.
  const std::string model = string_of(provider.descriptor.if_contains("defaultModel"));
  const json::object request{{"providerConfig", json::parse(target.provider_config)},
                             {"baseUrl", target.base_url.empty() ? json::value(nullptr) : json::value(target.base_url)},
                             {"model", model}};
  const auto text = json::serialize(request);
  AbiCall resolve;
  const oc_status status = provider.table->resolve_model(provider.table, to_oc(text), resolve.sink(), resolve.error());
  if (status == OC_OK) {
    report.add(subject + " default model", true, model + " is served on this endpoint");
  } else {
    const auto failure = resolve.failure(status, provider);
    report.add(subject + " default model", false, failure.message, failure.hint);
  }

  // Media understanding: the plugin decides, without a network call.
  const auto* media = static_cast<const oc_media_understanding_v1*>(
      provider.table->get_capability(provider.table, OC_CAPABILITY_MEDIA_UNDERSTANDING));
  if (media != nullptr && OC_HAS_FIELD(media, oc_media_understanding_v1, availability) && media->availability) {
    CallContextHolder context(target, nullptr);
    AbiCall check;
    if (media->availability(context.provider(), context.get(), check.sink(), check.error()) == OC_OK) {
      const auto answer = json::parse(check.output()).as_object();
      const auto* available = answer.if_contains("available");
      const bool yes = available != nullptr && available->is_bool() && available->as_bool();
      // Unavailable media is information, not a problem: chat still works.
      report.add(subject + " media understanding", true,
                 yes ? "available (" + string_of(answer.if_contains("model")) + ")"
                     : "unavailable: " + string_of(answer.if_contains("reason")) + " " +
                           string_of(answer.if_contains("fix")));
    }
  }
}

} // namespace

int run_doctor(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"help", false}}, "doctor");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (!cli.positionals().empty()) {
    throw CliError(kExitUsage, "`claw-host doctor` takes no arguments.", "Run `claw-host doctor --help`.");
  }
  Report report;
  check_state(session, report);
  check_plugins(session, report);
  const bool config_ok = !report.problems;
  if (config_ok && !session.plugins().providers().empty()) {
    std::vector<std::string> configured;
    for (const auto& provider : session.plugins().providers()) {
      if (provider.table->alias_of == nullptr && session.config().provider(provider.table->id) != nullptr) {
        configured.emplace_back(provider.table->id);
      }
    }
    if (configured.empty()) {
      report.add("providers", true, "none configured yet; checking qwen with its defaults",
                 "Run `claw-host onboard --auth-choice qwen-api-key` (or another auth choice).");
      configured.emplace_back("qwen");
    }
    for (const auto& id : configured) check_provider(session, id, report);
  }

  if (cli.flag("json")) {
    std::cout << json::serialize(json::object{{"ok", !report.problems}, {"checks", report.checks}}) << '\n';
  } else {
    for (const auto& value : report.checks) {
      const auto& check = value.as_object();
      const bool ok = check.at("ok").as_bool();
      std::cout << (ok ? styled(stdout, "ok  ", kDim) : styled(stdout, "FAIL", kRed)) << "  "
                << std::string(check.at("subject").as_string()) << ": "
                << std::string(check.at("detail").as_string()) << '\n';
      if (const auto* fix = check.if_contains("fix"); fix != nullptr && !ok) {
        std::cout << "      " << std::string(fix->as_string()) << '\n';
      }
    }
  }
  return report.problems ? kExitFailure : kExitOk;
}

} // namespace claw_host
