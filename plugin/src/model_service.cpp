#include "model_service.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

namespace openclaw::qwen {

namespace json = boost::json;
using openclaw::json_fields::string_view_at;

namespace {

const json::object* object_at(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  return (value != nullptr && value->is_object()) ? &value->as_object() : nullptr;
}

} // namespace

std::string resolve_base_url(const ProviderSpec& spec, std::string_view call_base_url,
                             const json::object* provider_config) {
  std::string url(call_base_url);
  if (url.empty() && provider_config != nullptr) url = string_view_at(*provider_config, "baseUrl");
  if (url.empty()) url = spec.default_base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

const catalog::ProviderCatalog& catalog_for(const ProviderSpec& spec) {
  // The bundled data always has both sections (a unit test checks it).
  return *catalog::Catalog::bundled().provider(spec.catalog_provider);
}

std::string_view ref_prefix_for(const ProviderSpec& spec) {
  return spec.alias_of.empty() ? spec.id : spec.alias_of;
}

json::array list_models(const ProviderSpec& spec, const json::object& request) {
  const auto* config = object_at(request, "providerConfig");
  const auto base_url = resolve_base_url(spec, string_view_at(request, "baseUrl"), config);
  const auto* hidden = request.if_contains("includeHidden");
  catalog::ListRequest list{ref_prefix_for(spec), base_url, config,
                            hidden != nullptr && hidden->is_bool() && hidden->as_bool()};
  json::array rows;
  for (const auto& row : catalog::list_models(catalog_for(spec), list)) rows.push_back(row.to_json());
  return rows;
}

Result<catalog::ModelRow> resolve_model_for_call(const ProviderSpec& spec,
                                                 const json::object& provider_config,
                                                 std::string_view base_url, std::string_view model) {
  if (model.empty()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "No model given.",
                      "Pass a model ref such as " + std::string(ref_prefix_for(spec)) +
                          "/qwen3.5-plus.");
  }
  // "modelstudio/<m>" is the same model as "qwen/<m>" (alias), so strip either.
  std::string_view id = model;
  if (const auto slash = id.find('/'); slash != std::string_view::npos) {
    const auto prefix = id.substr(0, slash);
    bool ours = prefix == spec.id || prefix == ref_prefix_for(spec);
    for (const auto* other : all_providers()) {
      ours = ours || (other->alias_of == ref_prefix_for(spec) && prefix == other->id);
    }
    if (ours) id.remove_prefix(slash + 1);
  }
  catalog::ListRequest list{ref_prefix_for(spec), base_url, &provider_config, false};
  auto outcome = catalog::resolve_model(catalog_for(spec), list, id);
  if (!outcome.row) {
    const bool hidden = catalog_for(spec).find(id) != nullptr;
    return make_error(OC_ERR_NOT_FOUND, outcome.error,
                      hidden ? "Onboard with a Standard auth choice (qwen-standard-api-key or "
                               "qwen-standard-api-key-cn), or list the model under "
                               "models.providers.qwen.models to try it on this plan."
                             : "");
  }
  return std::move(*outcome.row);
}

Result<catalog::ModelRow> resolve_model(const ProviderSpec& spec, const json::object& request) {
  const auto* config = object_at(request, "providerConfig");
  const json::object empty;
  const auto base_url = resolve_base_url(spec, string_view_at(request, "baseUrl"), config);
  return resolve_model_for_call(spec, config ? *config : empty, base_url,
                                string_view_at(request, "model"));
}

} // namespace openclaw::qwen
