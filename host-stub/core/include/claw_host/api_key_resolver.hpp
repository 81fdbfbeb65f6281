// Which key a provider call uses, and where it came from.
//
// Precedence (first hit wins; empty values count as unset):
//   qwen, modelstudio (alias of qwen):
//     1. credential store: qwen:default, then the legacy modelstudio:default
//     2. config: models.providers.qwen.apiKey, then models.providers.modelstudio.apiKey
//        (the latter only while that entry is Qwen's: no "api", or "openai-completions")
//     3. QWEN_API_KEY, MODELSTUDIO_API_KEY, DASHSCOPE_API_KEY, each looked up
//        in the real environment first, then in <state dir>/.env
//   qwen-oauth:
//     1. credential store: qwen-oauth:default (an OAuth access token or a pasted token)
//     2. config: models.providers.qwen-oauth.apiKey
//     3. QWEN_API_KEY (environment, then .env)
//   any other provider id: <id>:default, then models.providers.<id>.apiKey.
// A config apiKey written as "${NAME}" is read from variable NAME (environment,
// then .env), as OpenClaw substitutes it.
//
// The result describes its origin for doctor-style output ("from QWEN_API_KEY",
// "from the credential store (qwen:default)") and never prints the value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claw_host/config.hpp"
#include "claw_host/credential_store.hpp"
#include "claw_host/environment.hpp"
#include "claw_host/result.hpp"

namespace claw_host {

enum class ApiKeySource { credential_store, config, process_env, dotenv };

struct ResolvedApiKey {
  std::string key;
  ApiKeySource source;
  // The profile id, config path or variable name the key came from.
  std::string origin;
  // The config file or .env file holding it (empty for the store and the real environment).
  std::filesystem::path file;
  // For a variable reached through a config "${NAME}" reference: that config path.
  std::string via;
  // For OAuth tokens from the store: when the token expires (unix ms), if known.
  std::optional<std::int64_t> expires_at_ms;
  // Lower-precedence places that also hold a key (described, never shown),
  // so doctor can say what is being ignored.
  std::vector<std::string> shadowed;

  // "from the credential store (qwen:default)", "from QWEN_API_KEY",
  // "from QWEN_API_KEY in /home/u/.openclaw/.env",
  // "from models.providers.qwen.apiKey in /home/u/.openclaw/openclaw.json".
  std::string describe() const;
};

struct ApiKeySources {
  const Config& config;
  const CredentialStore& credentials;
  const Environment& environment;
};

// Environment variable names consulted for `provider`, in order.
std::vector<std::string> api_key_env_vars(std::string_view provider);

// The key to use. ErrorCode::not_found (naming the onboarding command and the
// variables to set) if there is none; store/config problems pass through.
Result<ResolvedApiKey> resolve_api_key(std::string_view provider, const ApiKeySources& sources);

}  // namespace claw_host
