// What onboarding with an auth choice writes into the user's config (as a
// patch the host deep-merges) and where the key is stored.
#pragma once

#include "plugin_error.hpp"
#include "provider_specs.hpp"

#include <boost/json/object.hpp>

namespace openclaw::qwen {

// request: {"authChoice": "<id>", "config": <the user's current config>}
// Pure: reads only the request.
Result<boost::json::object> onboarding_patch(const ProviderSpec& spec,
                                             const boost::json::object& request);

} // namespace openclaw::qwen
