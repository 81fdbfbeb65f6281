#include "onboarding.hpp"

#include "model_service.hpp"

#include <boost/json.hpp>

namespace openclaw::qwen {

namespace json = boost::json;

namespace {

bool has_primary_model(const json::object& request) {
  const auto* config = request.if_contains("config");
  if (config == nullptr || !config->is_object()) return false;
  const json::value* node = config;
  for (const auto* key : {"agents", "defaults", "model", "primary"}) {
    if (!node->is_object()) return false;
    node = node->as_object().if_contains(key);
    if (node == nullptr) return false;
  }
  return node->is_string() && !node->as_string().empty();
}

// A catalog row in OpenClaw's model-definition shape.
json::object config_model_entry(const json::object& row) {
  return json::object{{"id", row.at("id")},
                      {"name", row.at("name")},
                      {"reasoning", row.at("reasoning")},
                      {"input", row.at("input")},
                      {"cost", row.at("cost")},
                      {"contextWindow", row.at("contextWindow")},
                      {"maxTokens", row.at("maxTokens")}};
}

std::string valid_choices(const ProviderSpec& spec) {
  std::string out;
  for (const auto& choice : auth_choices()) {
    if (choice.legacy || choice.provider != spec.id) continue;
    if (!out.empty()) out += ", ";
    out += choice.id;
  }
  return out;
}

} // namespace

Result<json::object> onboarding_patch(const ProviderSpec& spec, const json::object& request) {
  const auto* choice_value = request.if_contains("authChoice");
  const std::string_view choice_id =
      choice_value && choice_value->is_string() ? std::string_view(choice_value->as_string()) : "";
  const auto* choice = find_auth_choice(choice_id);
  if (choice == nullptr || choice->provider != spec.id) {
    return make_error(OC_ERR_INVALID_ARGUMENT,
                      "Unknown auth choice '" + std::string(choice_id) + "' for provider " +
                          std::string(spec.id) + ".",
                      "Use one of: " + valid_choices(spec) + ".");
  }

  const std::string provider(choice->provider);
  json::array models;
  json::object agent_models;
  const json::object list_request{{"baseUrl", choice->base_url}, {"includeHidden", false}};
  for (const auto& row : list_models(spec, list_request)) {
    const auto& object = row.as_object();
    models.push_back(config_model_entry(object));
    const std::string id(object.at("id").as_string());
    agent_models[provider + "/" + id] = json::object{};
    // The legacy alias keeps old refs in agent configs working.
    if (provider == "qwen") agent_models["modelstudio/" + id] = json::object{};
  }

  json::object defaults{{"models", std::move(agent_models)}};
  if (!has_primary_model(request)) {
    defaults["model"] = json::object{{"primary", provider + "/qwen3.5-plus"}};
  }

  const std::string profile(spec.credential_profile);
  json::object config{
      {"models",
       json::object{{"providers",
                     json::object{{provider, json::object{{"baseUrl", choice->base_url},
                                                          {"api", kOpenAiCompletionsApi},
                                                          {"models", std::move(models)}}}}}}},
      {"agents", json::object{{"defaults", std::move(defaults)}}},
      {"auth", json::object{{"profiles",
                             json::object{{profile, json::object{{"provider", provider},
                                                                 {"mode", choice->credential_kind}}}}}}}};

  json::array env;
  for (const auto name : env_vars_for(spec)) env.emplace_back(name);
  json::array notes;
  if (choice->legacy) {
    notes.emplace_back("'" + std::string(choice->id) + "' is a legacy id; it works like '" +
                       std::string(choice->canonical) + "', which new setups should use.");
  }
  if (choice->plan == "coding-plan") {
    notes.emplace_back("Coding Plan endpoints serve chat models only; media understanding and "
                       "video generation need a Standard (pay-as-you-go) key.");
  }
  return json::object{{"config", std::move(config)},
                      {"authChoice", choice->canonical},
                      {"baseUrl", choice->base_url},
                      {"credentialProfile", profile},
                      {"credentialProvider", provider},
                      {"credentialKind", choice->credential_kind},
                      {"envVars", std::move(env)},
                      {"notes", std::move(notes)}};
}

} // namespace openclaw::qwen
