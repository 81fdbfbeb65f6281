#include "claw_host/config_merge.hpp"

#include <set>

#include "json_util.hpp"

namespace claw_host {

namespace {

// The id of an element of an id-keyed array, or nullopt.
std::optional<std::string> element_id(const boost::json::value& element) {
  const auto* object = element.if_object();
  return object ? detail::string_member(*object, "id") : std::nullopt;
}

bool is_id_array(const boost::json::array& array) {
  for (const auto& element : array) {
    if (!element_id(element)) return false;
  }
  return true;
}

void merge_by_id(boost::json::array& target, const boost::json::array& patch, const std::string& path,
                 MergeReport& report) {
  std::set<std::string, std::less<>> present;
  for (const auto& element : target) {
    if (auto id = element_id(element)) present.insert(std::move(*id));
  }
  for (const auto& element : patch) {
    auto id = element_id(element);
    // Existing ids keep the user's version; a repeated id in the patch is added once.
    if (present.insert(*id).second) {
      target.push_back(element);
      report.changed_paths.push_back(path + "[id=" + *id + "]");
    }
  }
}

void merge_into(boost::json::object& target, const boost::json::object& patch, const std::string& path,
                MergeReport& report) {
  for (const auto& [key, patch_value] : patch) {
    const auto child_path = detail::json_path_child(path, key);
    auto* existing = target.if_contains(key);
    if (existing == nullptr) {
      target.emplace(key, patch_value);
      report.changed_paths.push_back(child_path);
    } else if (existing->is_object() && patch_value.is_object()) {
      merge_into(existing->get_object(), patch_value.get_object(), child_path, report);
    } else if (existing->is_array() && patch_value.is_array() && is_id_array(patch_value.get_array())) {
      merge_by_id(existing->get_array(), patch_value.get_array(), child_path, report);
    } else if (*existing != patch_value) {
      *existing = patch_value;
      report.changed_paths.push_back(child_path);
    }
  }
}

}  // namespace

MergeReport merge_json_patch(boost::json::object& target, const boost::json::object& patch) {
  MergeReport report;
  merge_into(target, patch, "", report);
  return report;
}

MergeReport merge_onboarding_patch(Config& config, const boost::json::object& patch) {
  return merge_json_patch(config.root(), patch);
}

}  // namespace claw_host
