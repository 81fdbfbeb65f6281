// DashScope's async task replies (GET /api/v1/tasks/{id}) read into one
// status, and the job handle document hosts persist.
#pragma once

#include "plugin_error.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace openclaw::qwen::video {

struct TaskStatus {
  std::string task_id;
  std::string status; // PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED, UNKNOWN (upstream spelling)
  std::vector<std::string> video_urls; // SUCCEEDED: output.results[].video_url, else output.video_url
  std::string code;    // FAILED: the upstream error code
  std::string message; // FAILED: the upstream message
  std::string request_id;

  bool terminal() const;
  // {"taskId", "status", "videoUrls", "code"?, "message"?} (oc_video_generation_v1.poll)
  boost::json::object to_json() const;
};

// Reads a task reply body. OC_ERR_UPSTREAM when it is not the documented shape.
Result<TaskStatus> parse_task_reply(std::string_view body, std::string_view task_id);

// The job handle: {"taskId", "model", "aigcOrigin", "submittedAt" (unix ms)}.
struct JobHandle {
  std::string task_id;
  std::string model;
  std::string aigc_origin;
  std::int64_t submitted_at_ms = 0;
  std::uint32_t poll_interval_ms = 0; // 0: the default; see video_wait

  boost::json::object to_json() const;
};

// Reads a handle a host kept. aigcOrigin may be missing (then the caller
// derives it from the call's base URL); taskId must be a safe id.
Result<JobHandle> parse_job_handle(const boost::json::object& job);

} // namespace openclaw::qwen::video
