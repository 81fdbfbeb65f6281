// The bundled model catalog (qwen-models.json, compiled in) and the
// endpoint-aware listing built from it plus the user's configured models.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openclaw::qwen::catalog {

struct ModelCost {
  double input = 0, output = 0, cache_read = 0, cache_write = 0;
};

// One row of a provider's catalog, as the data file describes it.
struct CatalogModel {
  std::string id;
  std::vector<std::string> input; // "text", "image"
  std::uint64_t context_window = 0;
  std::uint64_t max_tokens = 0;
  bool reasoning = false;
  std::vector<std::string> only_on; // endpoint families; empty = everywhere
};

struct ProviderCatalog {
  std::string provider_id;
  std::string default_model;
  bool endpoint_filtered = false;
  std::vector<CatalogModel> models;

  const CatalogModel* find(std::string_view model_id) const;
};

class Catalog {
public:
  // Throws std::runtime_error naming the bad field when the JSON is not a catalog.
  static Catalog parse(std::string_view json);
  // The catalog compiled into this build (parsed once).
  static const Catalog& bundled();

  const ProviderCatalog* provider(std::string_view provider_id) const;
  const std::vector<ProviderCatalog>& providers() const { return providers_; }

private:
  std::vector<ProviderCatalog> providers_;
};

// A model as a host lists it: catalog data merged with the user's entry.
struct ModelRow {
  std::string ref; // "<provider>/<id>"
  std::string id;
  std::string name;
  std::vector<std::string> input;
  std::uint64_t context_window = 0;
  std::uint64_t max_tokens = 0;
  bool reasoning = false;
  bool is_default = false;
  bool configured = false; // listed under models.providers.<id>.models
  bool available = true;   // false: the current endpoint hides it
  bool in_catalog = true;
  std::string hidden_reason;
  ModelCost cost;

  bool accepts_images() const;
  boost::json::object to_json() const;
};

struct ListRequest {
  std::string_view ref_provider;                 // prefix for refs, eg "qwen"
  std::string_view base_url;                     // resolved chat base URL
  const boost::json::object* provider_config = nullptr; // models.providers.<id>, may be null
  bool include_hidden = false;
};

// Catalog rows the endpoint serves, then configured models that are not in
// the catalog. A model the user configured is always listed and available.
std::vector<ModelRow> list_models(const ProviderCatalog& catalog, const ListRequest& request);

struct ResolveOutcome {
  std::optional<ModelRow> row;
  std::string error; // set when row is empty: names the problem and the fix
};

// Resolves "<id>" or "<ref_provider>/<id>" for a call on this endpoint.
ResolveOutcome resolve_model(const ProviderCatalog& catalog, const ListRequest& request,
                             std::string_view model);

} // namespace openclaw::qwen::catalog
