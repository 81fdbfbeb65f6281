// One call's resolved inputs (endpoint, key, config), copied out of the C
// oc_call_context so capability code never touches ABI structs.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace openclaw::qwen {

struct CallContext {
  std::string provider_id;           // as the user referenced it, eg "modelstudio"
  std::string base_url;              // resolved; never empty after resolve_base_url()
  std::string api_key;               // SECRET: never logged, never in an error
  boost::json::object provider_config; // models.providers.<id> without apiKey
  std::string ca_bundle_path;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::function<bool()> cancelled = [] { return false; };
};

} // namespace openclaw::qwen
