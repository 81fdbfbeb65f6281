#include "video/video_task.hpp"

#include "video/video_endpoint.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace openclaw::qwen::video {

namespace json = boost::json;
using openclaw::json_fields::string_at;

namespace {

PluginError malformed(std::string_view task_id, std::string_view what) {
  return make_error(OC_ERR_UPSTREAM,
                    "The video task reply for " + std::string(task_id) + " is not the documented shape (" +
                        std::string(what) + ").",
                    "Try again later; if it persists, check that the base URL points at DashScope.");
}

} // namespace

bool TaskStatus::terminal() const {
  return status == "SUCCEEDED" || status == "FAILED" || status == "CANCELED" || status == "UNKNOWN";
}

json::object TaskStatus::to_json() const {
  json::object out;
  out["taskId"] = task_id;
  out["status"] = status;
  json::array urls;
  for (const auto& url : video_urls) urls.emplace_back(url);
  out["videoUrls"] = std::move(urls);
  if (!code.empty()) out["code"] = code;
  if (!message.empty()) out["message"] = message;
  if (!request_id.empty()) out["requestId"] = request_id;
  return out;
}

Result<TaskStatus> parse_task_reply(std::string_view body, std::string_view task_id) {
  json::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return malformed(task_id, "not a JSON object");
  const auto& root = value.as_object();
  const auto* output = root.if_contains("output");
  if (output == nullptr || !output->is_object()) return malformed(task_id, "no \"output\" object");
  const auto& out = output->as_object();

  TaskStatus status;
  status.task_id = string_at(out, "task_id");
  if (status.task_id.empty()) status.task_id = std::string(task_id);
  status.status = string_at(out, "task_status");
  if (status.status.empty()) return malformed(task_id, "no output.task_status");
  status.code = string_at(out, "code");
  status.message = string_at(out, "message");
  status.request_id = string_at(root, "request_id");
  if (const auto* results = out.if_contains("results"); results != nullptr && results->is_array()) {
    for (const auto& result : results->as_array()) {
      if (!result.is_object()) continue;
      const auto url = string_at(result.as_object(), "video_url");
      if (!url.empty()) status.video_urls.push_back(url);
    }
  }
  if (status.video_urls.empty()) {
    const auto url = string_at(out, "video_url");
    if (!url.empty()) status.video_urls.push_back(url);
  }
  return status;
}

json::object JobHandle::to_json() const {
  json::object out;
  out["taskId"] = task_id;
  out["model"] = model;
  out["aigcOrigin"] = aigc_origin;
  out["submittedAt"] = submitted_at_ms;
  return out;
}

Result<JobHandle> parse_job_handle(const json::object& job) {
  JobHandle handle;
  handle.task_id = string_at(job, "taskId");
  if (!valid_task_id(handle.task_id)) {
    return make_error(OC_ERR_INVALID_ARGUMENT,
                      handle.task_id.empty() ? std::string("The video job has no \"taskId\".")
                                             : "The video job's taskId is not a DashScope task id.",
                      "Pass the job document submit() returned: {\"taskId\", \"model\", \"aigcOrigin\", "
                      "\"submittedAt\"}.");
  }
  handle.model = string_at(job, "model");
  handle.aigc_origin = string_at(job, "aigcOrigin");
  while (!handle.aigc_origin.empty() && handle.aigc_origin.back() == '/') handle.aigc_origin.pop_back();
  if (!handle.aigc_origin.empty()) {
    const auto endpoint = catalog::classify_endpoint(handle.aigc_origin);
    if (!endpoint || endpoint->origin != handle.aigc_origin) {
      return make_error(OC_ERR_INVALID_ARGUMENT,
                        "The video job's aigcOrigin '" + handle.aigc_origin + "' is not an http(s) origin.",
                        "Use scheme://host[:port] without a path, eg https://dashscope-intl.aliyuncs.com.");
    }
  }
  if (const auto* submitted = job.if_contains("submittedAt"); submitted != nullptr && submitted->is_int64()) {
    handle.submitted_at_ms = submitted->as_int64();
  }
  if (const auto* interval = job.if_contains("pollIntervalMs"); interval != nullptr && interval->is_number()) {
    json::error_code ec;
    const auto ms = interval->to_number<double>(ec);
    // Bounded both ways: never hammer the API, never sleep for ages.
    if (!ec && ms > 0) handle.poll_interval_ms = static_cast<std::uint32_t>(std::clamp(ms, 10.0, 600'000.0));
  }
  return handle;
}

} // namespace openclaw::qwen::video
