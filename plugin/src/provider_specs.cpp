#include "provider_specs.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json.hpp>

#include <array>

namespace openclaw::qwen {
namespace {

namespace json = boost::json;

constexpr std::string_view kStandardChina = "https://dashscope.aliyuncs.com/compatible-mode/v1";
constexpr std::string_view kStandardGlobal = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";
constexpr std::string_view kCodingChina = "https://coding.dashscope.aliyuncs.com/v1";

constexpr std::string_view kStandardHint = "Pay-as-you-go; serves every catalog model plus media understanding and video generation";
constexpr std::string_view kCodingHint = "Subscription (sk-sp- keys); chat models only, the catalog omits Standard-only models";

// Legacy ids are accepted forever but never offered to new users.
constexpr std::array<AuthChoice, 9> kAuthChoices{{
    {"qwen-standard-api-key-cn", "qwen", "Qwen Standard (pay-as-you-go), China", kStandardHint, "standard", "china", kStandardChina, "qwen-standard-api-key-cn", "api_key", false},
    {"qwen-standard-api-key", "qwen", "Qwen Standard (pay-as-you-go), Global", kStandardHint, "standard", "global", kStandardGlobal, "qwen-standard-api-key", "api_key", false},
    {"qwen-api-key-cn", "qwen", "Qwen Coding Plan (subscription), China", kCodingHint, "coding-plan", "china", kCodingChina, "qwen-api-key-cn", "api_key", false},
    {"qwen-api-key", "qwen", "Qwen Coding Plan (subscription), Global", kCodingHint, "coding-plan", "global", kCodingPlanGlobalBaseUrl, "qwen-api-key", "api_key", false},
    {"qwen-oauth", "qwen-oauth", "Qwen Portal token", "A portal.qwen.ai token (paste it, or use `claw-host login qwen-oauth`)", "portal", "global", kPortalBaseUrl, "qwen-oauth", "token", false},
    {"modelstudio-standard-api-key-cn", "qwen", "Model Studio Standard, China (legacy id)", kStandardHint, "standard", "china", kStandardChina, "qwen-standard-api-key-cn", "api_key", true},
    {"modelstudio-standard-api-key", "qwen", "Model Studio Standard, Global (legacy id)", kStandardHint, "standard", "global", kStandardGlobal, "qwen-standard-api-key", "api_key", true},
    {"modelstudio-api-key-cn", "qwen", "Model Studio Coding Plan, China (legacy id)", kCodingHint, "coding-plan", "china", kCodingChina, "qwen-api-key-cn", "api_key", true},
    {"modelstudio-api-key", "qwen", "Model Studio Coding Plan, Global (legacy id)", kCodingHint, "coding-plan", "global", kCodingPlanGlobalBaseUrl, "qwen-api-key", "api_key", true},
}};

constexpr std::array<std::string_view, 3> kQwenEnvVars{"QWEN_API_KEY", "MODELSTUDIO_API_KEY",
                                                       "DASHSCOPE_API_KEY"};
constexpr std::array<std::string_view, 1> kPortalEnvVars{"QWEN_API_KEY"};

const ProviderSpec kQwen{"qwen", "", "Qwen Cloud (DashScope / Model Studio)", "qwen",
                         kCodingPlanGlobalBaseUrl, "qwen:default",
                         "https://docs.openclaw.ai/providers/qwen"};
const ProviderSpec kQwenOauth{"qwen-oauth", "", "Qwen Portal", "qwen-oauth", kPortalBaseUrl,
                              "qwen-oauth:default", "https://docs.openclaw.ai/providers/qwen-oauth"};
const ProviderSpec kModelStudio{"modelstudio", "qwen", "Model Studio (legacy alias of qwen)", "qwen",
                                kCodingPlanGlobalBaseUrl, "qwen:default",
                                "https://docs.openclaw.ai/providers/qwen"};
const std::array<const ProviderSpec*, 3> kProviders{&kQwen, &kQwenOauth, &kModelStudio};

json::string str(std::string_view text) { return json::string(text); }

} // namespace

std::span<const AuthChoice> auth_choices() { return kAuthChoices; }

const AuthChoice* find_auth_choice(std::string_view id) {
  for (const auto& choice : kAuthChoices) {
    if (choice.id == id) return &choice;
  }
  return nullptr;
}

const ProviderSpec& qwen_provider() { return kQwen; }
const ProviderSpec& qwen_oauth_provider() { return kQwenOauth; }
const ProviderSpec& modelstudio_provider() { return kModelStudio; }
std::span<const ProviderSpec* const> all_providers() { return kProviders; }

std::string_view standard_auth_choice_for_region(bool china) {
  return china ? kAuthChoices[0].id : kAuthChoices[1].id;
}

std::span<const std::string_view> env_vars_for(const ProviderSpec& spec) {
  if (spec.id == kQwenOauth.id) return kPortalEnvVars;
  return kQwenEnvVars;
}

std::string descriptor_json(const ProviderSpec& spec) {
  json::object out;
  out["id"] = str(spec.id);
  out["name"] = str(spec.display_name);
  out["api"] = str(kOpenAiCompletionsApi);
  if (!spec.alias_of.empty()) out["aliasOf"] = str(spec.alias_of);
  const std::string ref_prefix(spec.alias_of.empty() ? spec.id : spec.alias_of);
  out["defaultModel"] = ref_prefix + "/qwen3.5-plus";
  out["defaultBaseUrl"] = str(spec.default_base_url);
  json::array env;
  for (const auto name : env_vars_for(spec)) env.emplace_back(str(name));
  out["envVars"] = std::move(env);
  out["credentialProfile"] = str(spec.credential_profile);
  out["docs"] = str(spec.docs);

  // An alias owns no auth choices: the host onboards through the canonical id.
  json::array choices;
  if (spec.alias_of.empty()) {
    for (const auto& choice : kAuthChoices) {
      if (choice.provider != spec.id) continue;
      choices.emplace_back(json::object{{"id", str(choice.id)},
                                        {"label", str(choice.label)},
                                        {"hint", str(choice.hint)},
                                        {"plan", str(choice.plan)},
                                        {"region", str(choice.region)},
                                        {"baseUrl", str(choice.base_url)},
                                        {"legacy", choice.legacy},
                                        {"canonical", str(choice.canonical)},
                                        {"credentialKind", str(choice.credential_kind)}});
    }
  }
  out["authChoices"] = std::move(choices);

  json::array capabilities{OC_CAPABILITY_CHAT};
  if (spec.id == kQwenOauth.id) {
    capabilities.emplace_back(OC_CAPABILITY_DEVICE_LOGIN);
  } else {
    capabilities.emplace_back(OC_CAPABILITY_MEDIA_UNDERSTANDING);
    capabilities.emplace_back(OC_CAPABILITY_VIDEO_GENERATION);
  }
  out["capabilities"] = std::move(capabilities);
  return json::serialize(out);
}

} // namespace openclaw::qwen
