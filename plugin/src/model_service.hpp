// Listing and resolving models for a provider: the catalog seen through the
// endpoint the user configured.
#pragma once

#include "plugin_error.hpp"
#include "provider_specs.hpp"

#include <openclaw_qwen/catalog.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace openclaw::qwen {

// The chat base URL a call goes to: the call's own, else the provider
// config's baseUrl, else the provider default. Trailing slashes removed.
std::string resolve_base_url(const ProviderSpec& spec, std::string_view call_base_url,
                             const boost::json::object* provider_config);

// The catalog section and ref prefix a provider lists ("modelstudio" lists
// the qwen catalog under qwen/ refs: it is an alias).
const catalog::ProviderCatalog& catalog_for(const ProviderSpec& spec);
std::string_view ref_prefix_for(const ProviderSpec& spec);

// request: {"providerConfig", "baseUrl", "includeHidden"}
boost::json::array list_models(const ProviderSpec& spec, const boost::json::object& request);

// request: {"providerConfig", "baseUrl", "model"}
Result<catalog::ModelRow> resolve_model(const ProviderSpec& spec,
                                        const boost::json::object& request);

// Resolves for a call: model from the chat request, endpoint from the context.
Result<catalog::ModelRow> resolve_model_for_call(const ProviderSpec& spec,
                                                 const boost::json::object& provider_config,
                                                 std::string_view base_url,
                                                 std::string_view model);

} // namespace openclaw::qwen
