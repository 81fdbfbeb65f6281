#include "claw_host/api_key_resolver.hpp"

#include "json_util.hpp"

namespace claw_host {

namespace {

constexpr std::string_view kQwenApi = "openai-completions";

bool is_qwen_family(std::string_view provider) { return provider == "qwen" || provider == "modelstudio"; }

std::vector<std::string> store_profiles_for(std::string_view provider) {
  if (is_qwen_family(provider)) return {"qwen:default", "modelstudio:default"};
  return {std::string(provider) + ":default"};
}

std::vector<std::string> config_providers_for(std::string_view provider, const Config& config) {
  if (!is_qwen_family(provider)) return {std::string(provider)};
  std::vector<std::string> ids{"qwen"};
  // A custom provider that took over the modelstudio id (another api) owns its
  // own key; it must not leak into Qwen calls.
  const auto api = config.provider_api("modelstudio");
  if (!api || *api == kQwenApi) ids.emplace_back("modelstudio");
  return ids;
}

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// "${NAME}" -> NAME; anything else -> empty.
std::string_view variable_reference(std::string_view value) {
  value = trim(value);
  if (value.size() < 4 || value.substr(0, 2) != "${" || value.back() != '}') return {};
  const auto name = value.substr(2, value.size() - 3);
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return {};
  }
  return name;
}

std::string onboarding_hint(std::string_view provider, const Environment& environment) {
  const auto vars = api_key_env_vars(provider);
  std::string hint;
  if (provider == "qwen-oauth") {
    hint = "run: claw-host onboard --auth-choice qwen-oauth";
  } else if (is_qwen_family(provider)) {
    hint =
        "run: claw-host onboard --auth-choice qwen-api-key (Coding Plan) or qwen-standard-api-key "
        "(pay-as-you-go; add -cn for the China region)";
  } else {
    hint = "store a key for profile " + std::string(provider) + ":default, or set models.providers." +
           std::string(provider) + ".apiKey in the config";
  }
  if (!vars.empty()) {
    hint += ", or set ";
    for (std::size_t i = 0; i < vars.size(); ++i)
      hint += (i == 0 ? "" : i + 1 == vars.size() ? " or " : ", ") + vars[i];
    hint += " in the environment";
    if (!environment.dotenv().file().empty()) hint += " or in " + environment.dotenv().file().string();
  }
  return hint;
}

// Collects every place holding a key, best first. An unresolvable "${NAME}"
// reference becomes an error only if nothing before it matched.
class Collector {
 public:
  explicit Collector(const Environment& environment) : environment_(environment) {}

  void add(ResolvedApiKey candidate) {
    if (!winner_ && !failure_) {
      winner_ = std::move(candidate);
    } else if (winner_) {
      winner_->shadowed.push_back(candidate.describe());
    }
  }
  void fail(Error error) {
    if (!winner_ && !failure_) failure_ = std::move(error);
  }
  void add_env(const std::string& name, std::string via = {}) {
    if (auto found = environment_.lookup(name)) {
      ResolvedApiKey candidate;
      candidate.key = std::string(trim(found->value));
      candidate.source = found->source == EnvSource::process ? ApiKeySource::process_env : ApiKeySource::dotenv;
      candidate.origin = name;
      if (candidate.source == ApiKeySource::dotenv) candidate.file = environment_.dotenv().file();
      candidate.via = std::move(via);
      add(std::move(candidate));
    }
  }

  std::optional<ResolvedApiKey>& winner() { return winner_; }
  std::optional<Error>& failure() { return failure_; }
  const Environment& environment() const { return environment_; }

 private:
  const Environment& environment_;
  std::optional<ResolvedApiKey> winner_;
  std::optional<Error> failure_;
};

}  // namespace

std::string ResolvedApiKey::describe() const {
  std::string text;
  if (source == ApiKeySource::credential_store) {
    text = "from the credential store (" + origin + ")";
  } else {
    text = "from " + origin;
    if (!file.empty()) text += " in " + file.string();
  }
  if (!via.empty()) text += " (referenced by " + via + ")";
  return text;
}

std::vector<std::string> api_key_env_vars(std::string_view provider) {
  if (is_qwen_family(provider)) return {"QWEN_API_KEY", "MODELSTUDIO_API_KEY", "DASHSCOPE_API_KEY"};
  if (provider == "qwen-oauth") return {"QWEN_API_KEY"};
  return {};
}

Result<ResolvedApiKey> resolve_api_key(std::string_view provider, const ApiKeySources& sources) {
  if (provider.empty()) {
    return make_error(ErrorCode::invalid_argument, "no provider id given; pass one such as qwen or qwen-oauth");
  }
  Collector collector(sources.environment);

  for (const auto& profile_id : store_profiles_for(provider)) {
    auto stored = sources.credentials.get(profile_id);
    if (!stored) return stored.error();
    if (!*stored) continue;
    ResolvedApiKey candidate;
    candidate.key = std::string(trim(credential_secret(**stored)));
    candidate.source = ApiKeySource::credential_store;
    candidate.origin = profile_id;
    if (const auto* oauth = std::get_if<OAuthCredential>(&**stored)) candidate.expires_at_ms = oauth->expires_at_ms;
    collector.add(std::move(candidate));
  }

  const auto config_name = sources.config.file().empty() ? std::string("the config") : sources.config.file().string();
  for (const auto& provider_id : config_providers_for(provider, sources.config)) {
    auto value = sources.config.provider_api_key(provider_id);
    if (!value) continue;
    const auto path = detail::json_path_child(detail::json_path_child("models.providers", provider_id), "apiKey");
    if (const auto name = variable_reference(*value); !name.empty()) {
      if (sources.environment.lookup(name)) {
        collector.add_env(std::string(name), path);
      } else {
        collector.fail(make_error(ErrorCode::not_found,
                                  path + " in " + config_name + " refers to ${" + std::string(name) +
                                      "}, which is not set; set " + std::string(name) +
                                      " in the environment or in .env, or remove the apiKey line and run claw-host "
                                      "onboard"));
      }
      continue;
    }
    ResolvedApiKey candidate;
    candidate.key = std::string(trim(*value));
    candidate.source = ApiKeySource::config;
    candidate.origin = path;
    candidate.file = sources.config.file();
    collector.add(std::move(candidate));
  }

  for (const auto& name : api_key_env_vars(provider)) collector.add_env(name);

  if (collector.winner()) return std::move(*collector.winner());
  if (collector.failure()) return std::move(*collector.failure());
  return make_error(ErrorCode::not_found, "no API key found for provider " + std::string(provider) + "; " +
                                              onboarding_hint(provider, sources.environment));
}

}  // namespace claw_host
