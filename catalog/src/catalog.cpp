#include "openclaw_qwen/catalog.hpp"

#include "openclaw_qwen/endpoint.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace openclaw::qwen::catalog {

extern const std::string_view kBundledCatalogJson;

namespace json = boost::json;

namespace {

std::vector<std::string> string_list(const json::value* value, std::string_view what) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) throw std::runtime_error(std::string(what) + " must be an array of strings");
  for (const auto& item : value->as_array()) {
    if (!item.is_string()) throw std::runtime_error(std::string(what) + " must be an array of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

std::uint64_t positive_integer(const json::object& row, std::string_view key, std::string_view id) {
  const auto* value = row.if_contains(key);
  if (value == nullptr || !value->is_number()) {
    throw std::runtime_error("catalog model '" + std::string(id) + "' needs a numeric '" +
                             std::string(key) + "'");
  }
  return value->to_number<std::uint64_t>();
}

CatalogModel parse_model(const json::value& value) {
  const auto& row = value.as_object();
  CatalogModel model;
  const auto* id = row.if_contains("id");
  if (id == nullptr || !id->is_string() || id->as_string().empty()) {
    throw std::runtime_error("every catalog model needs a non-empty string 'id'");
  }
  model.id = std::string(id->as_string());
  model.input = string_list(row.if_contains("input"), "input of " + model.id);
  if (model.input.empty()) model.input = {"text"};
  model.context_window = positive_integer(row, "contextWindow", model.id);
  model.max_tokens = positive_integer(row, "maxTokens", model.id);
  if (const auto* reasoning = row.if_contains("reasoning")) model.reasoning = reasoning->as_bool();
  model.only_on = string_list(row.if_contains("onlyOn"), "onlyOn of " + model.id);
  return model;
}

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Strips "<ref_provider>/" from a ref; a bare id is returned as is.
std::string_view model_id_of(std::string_view model, std::string_view ref_provider) {
  if (!ref_provider.empty() && model.size() > ref_provider.size() + 1 &&
      model.substr(0, ref_provider.size()) == ref_provider && model[ref_provider.size()] == '/') {
    return model.substr(ref_provider.size() + 1);
  }
  return model;
}

const json::object* configured_entry(const json::object* config, std::string_view id) {
  if (config == nullptr) return nullptr;
  const auto* models = config->if_contains("models");
  if (models == nullptr || !models->is_array()) return nullptr;
  for (const auto& entry : models->as_array()) {
    if (!entry.is_object()) continue;
    const auto* entry_id = entry.as_object().if_contains("id");
    if (entry_id != nullptr && entry_id->is_string() && entry_id->as_string() == id) {
      return &entry.as_object();
    }
  }
  return nullptr;
}

// The user's entry overrides catalog data field by field.
void apply_user_entry(ModelRow& row, const json::object& entry) {
  row.configured = true;
  if (const auto* name = entry.if_contains("name"); name && name->is_string()) {
    row.name = std::string(name->as_string());
  }
  if (const auto* input = entry.if_contains("input"); input && input->is_array()) {
    std::vector<std::string> kinds;
    for (const auto& kind : input->as_array()) {
      if (kind.is_string()) kinds.emplace_back(kind.as_string());
    }
    if (!kinds.empty()) row.input = std::move(kinds);
  }
  if (const auto* window = entry.if_contains("contextWindow"); window && window->is_number()) {
    row.context_window = window->to_number<std::uint64_t>();
  }
  if (const auto* max = entry.if_contains("maxTokens"); max && max->is_number()) {
    row.max_tokens = max->to_number<std::uint64_t>();
  }
  if (const auto* reasoning = entry.if_contains("reasoning"); reasoning && reasoning->is_bool()) {
    row.reasoning = reasoning->as_bool();
  }
  if (const auto* cost = entry.if_contains("cost"); cost && cost->is_object()) {
    const auto& c = cost->as_object();
    auto number = [&](std::string_view key, double& out) {
      if (const auto* v = c.if_contains(key); v && v->is_number()) out = v->to_number<double>();
    };
    number("input", row.cost.input);
    number("output", row.cost.output);
    number("cacheRead", row.cost.cache_read);
    number("cacheWrite", row.cost.cache_write);
  }
}

ModelRow row_from_catalog(const ProviderCatalog& catalog, const CatalogModel& model,
                          std::string_view ref_provider) {
  ModelRow row;
  row.ref = std::string(ref_provider) + "/" + model.id;
  row.id = model.id;
  row.name = model.id;
  row.input = model.input;
  row.context_window = model.context_window;
  row.max_tokens = model.max_tokens;
  row.reasoning = model.reasoning;
  row.is_default = model.id == catalog.default_model;
  return row;
}

// Why this endpoint hides a model, or "" when it serves it.
std::string hidden_reason(const ProviderCatalog& catalog, const CatalogModel& model,
                          const std::optional<Endpoint>& endpoint) {
  if (!catalog.endpoint_filtered || model.only_on.empty() || !endpoint) return {};
  // Only a Coding Plan endpoint hides anything (SPEC: "on a Coding Plan base
  // URL the listing omits models known to work only on Standard"); a custom
  // base URL (a proxy, a gateway) may serve every model, and the upstream
  // API decides.
  if (!endpoint->is_coding_plan() || has(model.only_on, endpoint_family(endpoint->kind))) return {};
  return model.id + " is not supported on the Qwen Coding Plan endpoint";
}

ModelRow row_for_unlisted(std::string_view ref_provider, std::string_view id) {
  ModelRow row;
  row.ref = std::string(ref_provider) + "/" + std::string(id);
  row.id = std::string(id);
  row.name = row.id;
  row.input = {"text"};
  row.in_catalog = false;
  return row;
}

} // namespace

const CatalogModel* ProviderCatalog::find(std::string_view model_id) const {
  for (const auto& model : models) {
    if (model.id == model_id) return &model;
  }
  return nullptr;
}

Catalog Catalog::parse(std::string_view text) {
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  const auto document = json::parse(text, {}, options);
  const auto* providers = document.as_object().if_contains("providers");
  if (providers == nullptr || !providers->is_object()) {
    throw std::runtime_error("catalog needs an object 'providers'");
  }
  Catalog catalog;
  for (const auto& [id, value] : providers->as_object()) {
    const auto& entry = value.as_object();
    ProviderCatalog provider;
    provider.provider_id = std::string(id);
    provider.default_model = std::string(entry.at("defaultModel").as_string());
    if (const auto* filtered = entry.if_contains("endpointFiltered")) {
      provider.endpoint_filtered = filtered->as_bool();
    }
    for (const auto& model : entry.at("models").as_array()) {
      provider.models.push_back(parse_model(model));
    }
    if (provider.find(provider.default_model) == nullptr) {
      throw std::runtime_error("default model '" + provider.default_model + "' of provider '" +
                               provider.provider_id + "' is not in its model list");
    }
    catalog.providers_.push_back(std::move(provider));
  }
  return catalog;
}

const Catalog& Catalog::bundled() {
  static const Catalog catalog = parse(kBundledCatalogJson);
  return catalog;
}

const ProviderCatalog* Catalog::provider(std::string_view provider_id) const {
  for (const auto& provider : providers_) {
    if (provider.provider_id == provider_id) return &provider;
  }
  return nullptr;
}

bool ModelRow::accepts_images() const { return has(input, "image"); }

json::object ModelRow::to_json() const {
  json::object out;
  out["ref"] = ref;
  out["id"] = id;
  out["name"] = name;
  json::array kinds;
  for (const auto& kind : input) kinds.emplace_back(kind);
  out["input"] = std::move(kinds);
  out["contextWindow"] = context_window;
  out["maxTokens"] = max_tokens;
  out["reasoning"] = reasoning;
  out["default"] = is_default;
  out["configured"] = configured;
  out["available"] = available;
  out["inCatalog"] = in_catalog;
  if (!hidden_reason.empty()) out["hiddenReason"] = hidden_reason;
  // Whole numbers stay integers so configs read "0", not "0E0".
  auto price = [](double value) -> json::value {
    const auto whole = static_cast<std::int64_t>(value);
    if (static_cast<double>(whole) == value) return whole;
    return value;
  };
  out["cost"] = json::object{{"input", price(cost.input)},
                             {"output", price(cost.output)},
                             {"cacheRead", price(cost.cache_read)},
                             {"cacheWrite", price(cost.cache_write)}};
  return out;
}

std::vector<ModelRow> list_models(const ProviderCatalog& catalog, const ListRequest& request) {
  const auto endpoint = classify_endpoint(request.base_url);
  std::vector<ModelRow> rows;
  for (const auto& model : catalog.models) {
    auto row = row_from_catalog(catalog, model, request.ref_provider);
    if (const auto* entry = configured_entry(request.provider_config, model.id)) {
      apply_user_entry(row, *entry);
    }
    if (!row.configured) {
      row.hidden_reason = hidden_reason(catalog, model, endpoint);
      row.available = row.hidden_reason.empty();
    }
    if (row.available || request.include_hidden) rows.push_back(std::move(row));
  }
  if (request.provider_config != nullptr) {
    if (const auto* models = request.provider_config->if_contains("models");
        models && models->is_array()) {
      for (const auto& entry : models->as_array()) {
        if (!entry.is_object()) continue;
        const auto* id = entry.as_object().if_contains("id");
        if (id == nullptr || !id->is_string() || catalog.find(id->as_string()) != nullptr) continue;
        auto row = row_for_unlisted(request.ref_provider, id->as_string());
        apply_user_entry(row, entry.as_object());
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

ResolveOutcome resolve_model(const ProviderCatalog& catalog, const ListRequest& request,
                             std::string_view model) {
  const auto id = model_id_of(model, request.ref_provider);
  const std::string ref = std::string(request.ref_provider) + "/" + std::string(id);
  if (const auto* entry = configured_entry(request.provider_config, id)) {
    const auto* known = catalog.find(id);
    auto row = known ? row_from_catalog(catalog, *known, request.ref_provider)
                     : row_for_unlisted(request.ref_provider, id);
    apply_user_entry(row, *entry);
    return {std::move(row), {}};
  }
  const auto* known = catalog.find(id);
  if (known == nullptr) {
    return {std::nullopt, "Unknown model: " + ref + ". It is not in the bundled " +
                              catalog.provider_id + " catalog; list the models with `claw-host models list --provider " +
                              std::string(request.ref_provider) + "`, or add it under models.providers." +
                              std::string(request.ref_provider) + ".models to use it anyway."};
  }
  const auto reason = hidden_reason(catalog, *known, classify_endpoint(request.base_url));
  if (!reason.empty()) {
    return {std::nullopt, "Unknown model: " + ref + ". " + reason +
                              "; use a Standard pay-as-you-go Qwen endpoint or choose " +
                              std::string(request.ref_provider) + "/" + catalog.default_model + "."};
  }
  return {row_from_catalog(catalog, *known, request.ref_provider), {}};
}

} // namespace openclaw::qwen::catalog
