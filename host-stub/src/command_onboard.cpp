// `claw-host onboard --auth-choice ID`: writes the provider entry the plugin
// proposes into the user's config and the key into the credential store.
// Idempotent: running it twice changes nothing more.
#include "abi_call.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "secret_prompt.hpp"

#include "claw_host/config_merge.hpp"
#include "claw_host/credential_store.hpp"
#include "claw_host/redact.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

#include <iostream>

namespace claw_host {

namespace json = boost::json;
using openclaw::json_fields::string_at;

namespace {
constexpr const char* kHelp = R"(Usage: claw-host onboard --auth-choice ID [--api-key KEY | --api-key -] [--json]

Sets a provider up for a plan and region. Writes models.providers.<id> (base
URL, api, the catalog models for that endpoint), agent model aliases and the
auth profile into <state dir>/openclaw.json, keeping everything you wrote by
hand, and stores the key only in <state dir>/credentials.json (mode 0600).

Auth choices (see `claw-host providers list`):
  qwen-standard-api-key      Standard (pay-as-you-go), Global
  qwen-standard-api-key-cn   Standard (pay-as-you-go), China
  qwen-api-key               Coding Plan (subscription), Global
  qwen-api-key-cn            Coding Plan (subscription), China
  qwen-oauth                 Qwen Portal token
Legacy modelstudio-* ids are accepted and act like their qwen-* twins.

The key comes from --api-key, or `--api-key -` to read it from standard
input (keeps it out of the process list), else from QWEN_API_KEY,
MODELSTUDIO_API_KEY, DASHSCOPE_API_KEY (environment, then <state dir>/.env),
else you are asked for it on a terminal.

Options:
  --auth-choice ID   which plan and region (required)
  --api-key KEY|-    the key or portal token
  --json             machine-readable summary (never contains the key)
  --help             show this help
)";

struct ChoiceOwner {
  const RegisteredProvider* provider = nullptr;
  json::object choice;
};

ChoiceOwner find_choice_owner(PluginHost& host, std::string_view choice_id) {
  std::string offered;
  for (const auto& provider : host.providers()) {
    const auto* choices = provider.descriptor.if_contains("authChoices");
    if (choices == nullptr || !choices->is_array()) continue;
    for (const auto& choice : choices->as_array()) {
      const auto& object = choice.as_object();
      const auto id = object.at("id").as_string();
      if (id == choice_id) return {&provider, object};
      const auto* legacy = object.if_contains("legacy");
      if (!(legacy && legacy->is_bool() && legacy->as_bool())) {
        offered += (offered.empty() ? "" : ", ") + std::string(id);
      }
    }
  }
  throw CliError(kExitUsage, "Unknown auth choice '" + std::string(choice_id) + "'.",
                 "Use one of: " + offered + ".");
}

struct KeyInput {
  std::string key;
  std::string origin; // where it came from, for the summary
};

KeyInput read_key(HostSession& session, const CliArgs& cli, const json::array& env_vars,
                  const std::string& what) {
  if (const auto given = cli.value("api-key")) {
    if (*given == "-") {
      std::string line;
      std::getline(std::cin, line);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) throw CliError(kExitAuth, "No " + what + " on standard input.");
      return {line, "standard input"};
    }
    if (given->empty()) throw CliError(kExitAuth, "--api-key is empty.", "Pass the " + what + ".");
    return {*given, "--api-key"};
  }
  for (const auto& name : env_vars) {
    const std::string variable(name.as_string());
    if (const auto found = session.env().lookup(variable)) {
      return {found->value, found->source == EnvSource::process
                                ? variable
                                : variable + " in " + session.paths().dotenv_file.string()};
    }
  }
  if (auto typed = prompt_secret("Paste your " + what + ": ")) return {*typed, "prompt"};
  std::string names;
  for (const auto& name : env_vars) names += (names.empty() ? "" : ", ") + std::string(name.as_string());
  throw CliError(kExitAuth, "No " + what + " was given.",
                 "Pass --api-key KEY (or --api-key - to read it from standard input), or set " +
                     names + ".");
}

} // namespace

int run_onboard(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"auth-choice", true}, {"api-key", true}, {"json", false}, {"help", false}},
              "onboard");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  const auto choice_id = cli.value("auth-choice");
  if (!choice_id) {
    throw CliError(kExitUsage, "--auth-choice is required.", "Run `claw-host onboard --help` for the choices.");
  }
  if (!cli.positionals().empty()) {
    throw CliError(kExitUsage, "Unexpected argument '" + cli.positionals()[0] + "'.",
                   "Run `claw-host onboard --help`.");
  }
  auto& config = session.config(); // a malformed config stops us before anything is asked
  const auto owner = find_choice_owner(session.plugins(), *choice_id);
  const auto& provider = *owner.provider;

  const json::object request{{"authChoice", *choice_id}, {"config", config.root()}};
  const auto request_text = json::serialize(request);
  AbiCall call;
  const oc_status status =
      provider.table->onboard(provider.table, to_oc(request_text), call.sink(), call.error());
  if (status != OC_OK) {
    const auto failure = call.failure(status, provider);
    throw CliError(exit_code_for(status), failure.message, failure.hint);
  }
  const auto patch = json::parse(call.output()).as_object();
  const auto kind = string_at(patch, "credentialKind");
  const auto* env_vars = patch.if_contains("envVars");
  const auto key = read_key(session, cli, env_vars ? env_vars->as_array() : json::array{},
                            kind == "token" ? "Qwen Portal token" : "API key");

  const auto merge = merge_onboarding_patch(config, patch.at("config").as_object());
  bool config_written = false;
  std::vector<std::string> notices;
  if (merge.changed()) {
    auto saved = config.save();
    if (!saved) throw CliError(kExitConfig, saved.error().message);
    config_written = saved->written;
    notices = saved->notices;
  }

  const auto profile = string_at(patch, "credentialProfile");
  const auto credential_provider = string_at(patch, "credentialProvider");
  CredentialStore store(session.paths().credentials_file);
  const Credential credential = kind == "token"
                                    ? Credential(OAuthCredential{credential_provider, key.key, {}, {}, {}})
                                    : Credential(ApiKeyCredential{credential_provider, key.key});
  auto existing = store.get(profile);
  if (!existing) throw CliError(kExitConfig, existing.error().message);
  const bool same_key = existing->has_value() && credential_secret(**existing) == key.key &&
                        existing->value().index() == credential.index();
  if (!same_key) {
    auto put = store.put(profile, credential);
    if (!put) throw CliError(kExitConfig, put.error().message);
  }
  for (auto& notice : store.take_notices()) notices.push_back(std::move(notice));

  const auto base_url = string_at(patch, "baseUrl");
  const auto& models = patch.at("config").at("models").at("providers").at(credential_provider).at("models").as_array();
  if (cli.flag("json")) {
    json::array notes = patch.at("notes").as_array();
    for (const auto& notice : notices) notes.emplace_back(notice);
    std::cout << json::serialize(json::object{{"provider", credential_provider},
                                              {"authChoice", patch.at("authChoice")},
                                              {"baseUrl", base_url},
                                              {"models", models.size()},
                                              {"configFile", config.file().string()},
                                              {"configChanged", config_written},
                                              {"credentialProfile", profile},
                                              {"credentialChanged", !same_key},
                                              {"key", redact(key.key)},
                                              {"keyFrom", key.origin},
                                              {"notes", std::move(notes)}})
              << '\n';
    return kExitOk;
  }
  const auto primary = config.primary_model();
  std::cout << "Onboarded " << credential_provider << " with " << *choice_id << ".\n"
            << "  endpoint  " << base_url << '\n'
            << "  models    " << models.size() << " catalog models for this endpoint in models.providers."
            << credential_provider << " (models you listed are kept)\n"
            << "  default   " << (primary ? *primary : std::string("-")) << '\n'
            << "  key       " << redact(key.key) << " from " << key.origin << ", stored as " << profile
            << " in " << store.file().string() << (same_key ? " (unchanged)" : " (mode 0600)") << '\n'
            << "  config    " << config.file().string() << (config_written ? " (updated)" : " (unchanged)")
            << '\n';
  for (const auto& note : patch.at("notes").as_array()) std::cout << "note: " << std::string(note.as_string()) << '\n';
  for (const auto& notice : notices) std::cout << "note: " << notice << '\n';
  return kExitOk;
}

} // namespace claw_host
