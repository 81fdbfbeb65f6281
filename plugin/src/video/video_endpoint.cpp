#include "video/video_endpoint.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include <algorithm>

namespace openclaw::qwen::video {

Result<std::string> aigc_origin_for(std::string_view chat_base_url) {
  const auto endpoint = catalog::classify_endpoint(chat_base_url);
  if (!endpoint) {
    return make_error(OC_ERR_INVALID_ARGUMENT,
                      "The base URL '" + std::string(chat_base_url) + "' is not an http(s) URL, so there is no "
                      "video generation host to send the job to.",
                      "Fix models.providers.qwen.baseUrl, or onboard again with a qwen-standard-* auth choice.");
  }
  return catalog::aigc_origin(*endpoint);
}

std::string submit_url(std::string_view aigc_origin) {
  return std::string(aigc_origin) + "/api/v1/services/aigc/video-generation/video-synthesis";
}

std::string task_url(std::string_view aigc_origin, std::string_view task_id) {
  return std::string(aigc_origin) + "/api/v1/tasks/" + std::string(task_id);
}

bool valid_task_id(std::string_view task_id) {
  return !task_id.empty() && task_id.size() <= 128 &&
         std::all_of(task_id.begin(), task_id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '-';
         });
}

PluginError explain_auth_failure(PluginError error, std::string_view chat_base_url, std::string_view api_key) {
  if (error.code != OC_ERR_AUTH) return error;
  const auto endpoint = catalog::classify_endpoint(chat_base_url);
  const bool coding_plan_endpoint = endpoint && endpoint->is_coding_plan();
  const bool coding_plan_key = api_key.rfind("sk-sp-", 0) == 0;
  if (!coding_plan_endpoint && !coding_plan_key) return error;

  const auto region = endpoint ? endpoint->region() : catalog::Region::Unknown;
  std::string region_name;
  std::string choice;
  switch (region) {
  case catalog::Region::China:
    region_name = "China";
    choice = "`claw-host onboard --auth-choice qwen-standard-api-key-cn`";
    break;
  case catalog::Region::Global:
    region_name = "Global";
    choice = "`claw-host onboard --auth-choice qwen-standard-api-key`";
    break;
  case catalog::Region::Unknown:
    choice = "`claw-host onboard --auth-choice qwen-standard-api-key` (Global) or "
             "`--auth-choice qwen-standard-api-key-cn` (China)";
    break;
  }
  const std::string upstream = error.message;
  error.message = "Video generation needs a Standard (pay-as-you-go) DashScope API key" +
                  (region_name.empty() ? std::string() : " for the " + region_name + " region") +
                  "; the video host refused this " +
                  (coding_plan_key ? "Coding Plan key (sk-sp-...)" : "key of a Coding Plan configuration") + ": " +
                  upstream;
  if (!error.message.empty() && error.message.back() != '.') error.message += '.';
  error.hint = "Coding Plan keys only work for chat. Onboard a Standard key with " + choice +
               "; video jobs then go to the same region's DashScope host.";
  return error;
}

} // namespace openclaw::qwen::video
