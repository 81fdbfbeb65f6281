// `claw-host auth status`: what is stored in the credential file and, per
// provider, where a call's key would come from. Shows redacted keys only.
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "portal_auth.hpp"

#include "claw_host/api_key_resolver.hpp"
#include "claw_host/credential_store.hpp"
#include "claw_host/redact.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <iostream>

namespace claw_host {

namespace json = boost::json;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host auth status [--json]

Shows every credential stored in <state dir>/credentials.json (provider,
kind, the key or token in redacted form, expiry and whether it has expired)
and, for each installed provider, where a call's key would come from
(credential store, config, environment or .env). Never prints a secret.

Options:
  --json   machine-readable output
  --help   show this help

Set a key up with `claw-host onboard --auth-choice ID`, or log in to the
Qwen Portal with `claw-host login qwen-oauth`.
)";

std::string_view source_name(ApiKeySource source) {
  switch (source) {
    case ApiKeySource::credential_store:
      return "credential-store";
    case ApiKeySource::config:
      return "config";
    case ApiKeySource::process_env:
      return "environment";
    case ApiKeySource::dotenv:
      return "dotenv";
  }
  return "unknown";
}

struct ProfileRow {
  std::string id;
  std::optional<Credential> credential;
  std::string error;  // the profile could not be read
};

// Provider ids from the installed plugins' manifests (no plugin code runs),
// plus any provider a stored profile names; qwen and qwen-oauth at least.
std::vector<std::string> provider_ids(HostSession& session, const std::vector<ProfileRow>& profiles) {
  std::vector<std::string> ids;
  const auto add = [&](const std::string& id) {
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  for (const auto& manifest : session.discovery().plugins) {
    const auto* listed = manifest.document.if_contains("providers");
    if (listed == nullptr || !listed->is_array()) continue;
    for (const auto& entry : listed->as_array()) {
      // An alias (modelstudio) uses its canonical provider's key.
      if (!entry.is_object() || entry.as_object().contains("aliasOf")) continue;
      const auto* id = entry.as_object().if_contains("id");
      if (id != nullptr && id->is_string()) add(std::string(id->as_string()));
    }
  }
  add("qwen");
  add(std::string(kPortalProviderId));
  for (const auto& row : profiles) {
    if (row.credential) add(credential_provider(*row.credential));
  }
  return ids;
}

// Columns aligned by characters, not bytes: redacted keys contain "…".
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  const auto width = [](const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  };
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(widths[i] - width(row[i]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace

int run_auth(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"help", false}}, "auth");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (cli.positionals().size() != 1 || cli.positionals()[0] != "status") {
    throw CliError(kExitUsage, "Expected `claw-host auth status`.", "Run `claw-host auth --help`.");
  }

  const CredentialStore store(session.paths().credentials_file);
  auto ids = store.profile_ids();
  if (!ids) throw CliError(kExitConfig, ids.error().message);
  std::vector<ProfileRow> profiles;
  for (const auto& id : *ids) {
    auto credential = store.get(id);
    profiles.push_back(credential ? ProfileRow{id, *credential, {}}
                                  : ProfileRow{id, std::nullopt, credential.error().message});
  }
  const auto now = unix_now_ms();
  const ApiKeySources sources{session.config(), store, session.env()};
  const auto providers = provider_ids(session, profiles);

  if (cli.flag("json")) {
    json::array profile_rows;
    for (const auto& row : profiles) {
      json::object out{{"id", row.id}};
      if (!row.credential) {
        out["error"] = row.error;
      } else if (const auto* key = std::get_if<ApiKeyCredential>(&*row.credential)) {
        out["provider"] = key->provider;
        out["kind"] = "api_key";
        out["key"] = redact(key->key);
      } else {
        const auto& oauth = std::get<OAuthCredential>(*row.credential);
        out["provider"] = oauth.provider;
        out["kind"] = "oauth";
        out["key"] = redact(oauth.access);
        out["expiresAt"] = oauth.expires_at_ms ? json::value(*oauth.expires_at_ms) : json::value(nullptr);
        out["expired"] = oauth.expires_at_ms.has_value() && *oauth.expires_at_ms <= now;
        out["refreshable"] = !oauth.refresh.empty();
        out["resourceUrl"] = oauth.resource_url;
      }
      profile_rows.push_back(std::move(out));
    }
    json::array provider_rows;
    for (const auto& id : providers) {
      json::object out{{"provider", id}};
      auto key = resolve_api_key(id, sources);
      if (key) {
        out["keyFrom"] = key->describe();
        out["source"] = source_name(key->source);
        out["key"] = redact(key->key);
        if (key->expires_at_ms) out["expiresAt"] = *key->expires_at_ms;
        json::array shadowed;
        for (const auto& other : key->shadowed) shadowed.emplace_back(other);
        out["shadowed"] = std::move(shadowed);
      } else {
        out["keyFrom"] = nullptr;
        out["error"] = key.error().message;
      }
      provider_rows.push_back(std::move(out));
    }
    std::cout << json::serialize(json::object{{"credentialsFile", store.file().string()},
                                              {"profiles", std::move(profile_rows)},
                                              {"providers", std::move(provider_rows)}})
              << '\n';
    return kExitOk;
  }

  std::cout << "Stored credentials (" << store.file().string() << "):\n";
  if (profiles.empty()) {
    std::cout << "  none yet\n";
  } else {
    std::vector<std::vector<std::string>> table{{"  PROFILE", "PROVIDER", "KIND", "KEY", "EXPIRES"}};
    for (const auto& row : profiles) {
      if (!row.credential) {
        table.push_back({"  " + row.id, "?", "?", "?", "unreadable: " + row.error});
      } else if (const auto* key = std::get_if<ApiKeyCredential>(&*row.credential)) {
        table.push_back({"  " + row.id, key->provider, "api_key", redact(key->key), "-"});
      } else {
        const auto& oauth = std::get<OAuthCredential>(*row.credential);
        std::string expires = oauth.expires_at_ms ? describe_expiry(*oauth.expires_at_ms, now) : "unknown";
        expires += oauth.refresh.empty() ? ", no refresh token" : ", refreshable";
        table.push_back({"  " + row.id, oauth.provider, "oauth", redact(oauth.access), expires});
      }
    }
    std::cout << aligned(table);
  }
  std::cout << "\nKey per provider:\n";
  std::vector<std::vector<std::string>> table{{"  PROVIDER", "KEY", "FROM"}};
  for (const auto& id : providers) {
    auto key = resolve_api_key(id, sources);
    if (!key) {
      table.push_back({"  " + id, "-", "none: " + key.error().message});
      continue;
    }
    std::string from = key->describe();
    if (key->expires_at_ms && *key->expires_at_ms <= now)
      from += " (expired; refreshed on next use if it can be)";
    if (!key->shadowed.empty()) from += "; ignored: " + std::to_string(key->shadowed.size()) + " more";
    table.push_back({"  " + id, redact(key->key), from});
  }
  std::cout << aligned(table);
  return kExitOk;
}

}  // namespace claw_host
