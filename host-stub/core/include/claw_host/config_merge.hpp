// Folding what onboarding wants to write into the user's existing config.
//
//  * objects merge key by key, recursively;
//  * a scalar (or any value whose type differs) from the patch replaces the
//    existing one, so re-onboarding with another auth choice moves baseUrl;
//  * arrays whose patch elements are all objects with a string "id" (model
//    lists) merge by id: every existing element stays exactly as the user
//    wrote it, in place, and only ids not present yet are appended. An empty
//    patch array therefore changes nothing;
//  * any other array from the patch replaces the existing one, like a scalar.
//
// Applying the same patch twice leaves the document identical to applying it
// once (the second report lists no changes). Keys the patch does not mention
// are never touched. Whether to set a value only when absent (for example
// agents.defaults.model.primary) is the caller's decision: leave it out of the
// patch when Config::primary_model() already has one.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "claw_host/config.hpp"

namespace claw_host {

struct MergeReport {
  // JSON paths that were added or replaced, e.g. models.providers.qwen.baseUrl
  // or models.providers.qwen.models[id=glm-5]; empty when nothing changed.
  std::vector<std::string> changed_paths;
  bool changed() const noexcept { return !changed_paths.empty(); }
};

MergeReport merge_json_patch(boost::json::object& target, const boost::json::object& patch);

MergeReport merge_onboarding_patch(Config& config, const boost::json::object& patch);

}  // namespace claw_host
