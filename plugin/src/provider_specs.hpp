// The three providers this plugin registers and the auth choices that
// configure them: the facts of SPEC.md "Providers" and "Auth choices" as data.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace openclaw::qwen {

inline constexpr std::string_view kOpenAiCompletionsApi = "openai-completions";
inline constexpr std::string_view kCodingPlanGlobalBaseUrl = "https://coding-intl.dashscope.aliyuncs.com/v1";
inline constexpr std::string_view kPortalBaseUrl = "https://portal.qwen.ai/v1";

struct AuthChoice {
  std::string_view id;
  std::string_view provider; // which provider it configures
  std::string_view label;
  std::string_view hint;
  std::string_view plan;   // "standard", "coding-plan", "portal"
  std::string_view region; // "china", "global"
  std::string_view base_url;
  std::string_view canonical; // for legacy ids: the qwen-* twin; else the id itself
  std::string_view credential_kind; // "api_key" or "token"
  bool legacy;
};

// Every accepted auth choice, canonical ones first, legacy twins after.
std::span<const AuthChoice> auth_choices();
const AuthChoice* find_auth_choice(std::string_view id);

struct ProviderSpec {
  std::string_view id;
  std::string_view alias_of; // empty for canonical providers
  std::string_view display_name;
  std::string_view catalog_provider;   // which catalog section it lists
  std::string_view default_base_url;   // when neither the call nor the config gives one
  std::string_view credential_profile; // eg "qwen:default"
  std::string_view docs;
};

const ProviderSpec& qwen_provider();
const ProviderSpec& qwen_oauth_provider();
const ProviderSpec& modelstudio_provider();
std::span<const ProviderSpec* const> all_providers();

// The Standard (pay-as-you-go) auth choice for a region, named in hints
// when a Coding Plan endpoint or key cannot do something. China: "-cn".
std::string_view standard_auth_choice_for_region(bool china);

// Env vars holding a key for this provider, in order of preference.
std::span<const std::string_view> env_vars_for(const ProviderSpec& spec);

// The static descriptor JSON handed to the host at registration.
std::string descriptor_json(const ProviderSpec& spec);

} // namespace openclaw::qwen
