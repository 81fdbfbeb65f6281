// Wan video generation as DashScope's native async API serves it: submit
// with X-DashScope-Async, poll /api/v1/tasks/{id}, cancel while PENDING.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "http_server.hpp"
#include "routes.hpp"
#include "shared_state.hpp"
#include "wire.hpp"

namespace dashscope_emulator::detail {

namespace {

enum class TaskStatus { Pending, Running, Succeeded, Failed, Canceled, Unknown };

const char* status_name(TaskStatus status) {
  switch (status) {
    case TaskStatus::Pending: return "PENDING";
    case TaskStatus::Running: return "RUNNING";
    case TaskStatus::Succeeded: return "SUCCEEDED";
    case TaskStatus::Failed: return "FAILED";
    case TaskStatus::Canceled: return "CANCELED";
    case TaskStatus::Unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

// The status a task reports at its poll number `poll` (0-based).
TaskStatus status_at(const VideoTask& task, int poll) {
  if (task.canceled) return TaskStatus::Canceled;
  const VideoScript& script = task.script;
  if (poll < script.pending_polls) return TaskStatus::Pending;
  if (poll < script.pending_polls + script.running_polls) return TaskStatus::Running;
  if (std::chrono::steady_clock::now() - task.submitted < script.min_duration) return TaskStatus::Running;
  switch (script.outcome) {
    case VideoOutcome::Succeeded: return TaskStatus::Succeeded;
    case VideoOutcome::Failed: return TaskStatus::Failed;
    case VideoOutcome::Canceled: return TaskStatus::Canceled;
    case VideoOutcome::Unknown: return TaskStatus::Unknown;
  }
  return TaskStatus::Unknown;
}

// The native API refuses Coding Plan keys outright: they only work on the
// Coding Plan chat endpoints.
std::optional<HttpResponse> refuse_key(const HttpRequest& request, State& state, const std::string& request_id) {
  const std::string key = bearer_key(request);
  std::lock_guard lock(state.mutex);
  if (state.check_key(key) != KeyVerdict::Accepted || key.starts_with("sk-sp-")) {
    return native_error(401, "InvalidApiKey", "Invalid API-key provided.", request_id);
  }
  return std::nullopt;
}

// "1280*720" -> 720, "720P" -> 720; 720 when neither says.
int resolution_of(const json::object& parameters) {
  if (const auto* size = parameters.if_contains("size"); size != nullptr && size->is_string()) {
    const std::string text(size->as_string());
    if (const auto star = text.find('*'); star != std::string::npos) {
      const int width = std::atoi(text.substr(0, star).c_str());
      const int height = std::atoi(text.substr(star + 1).c_str());
      if (width > 0 && height > 0) return std::min(width, height);
    }
  }
  if (const auto* resolution = parameters.if_contains("resolution"); resolution != nullptr && resolution->is_string()) {
    const int value = std::atoi(std::string(resolution->as_string()).c_str());
    if (value > 0) return value;
  }
  return 720;
}

HttpResponse submit(const HttpRequest& request, State& state) {
  const std::string request_id = state.new_uuid();
  if (auto refused = refuse_key(request, state, request_id)) return std::move(*refused);
  if (request.header("X-DashScope-Async") != "enable") {
    return native_error(403, "AccessDenied", "current user api does not support synchronous calls.", request_id);
  }
  bool ok = false;
  const json::object body = parse_object(request.body, ok);
  if (!ok) {
    return native_error(400, "InvalidParameter", "The request body is not a valid JSON object.", request_id);
  }
  const auto* model = body.if_contains("model");
  if (model == nullptr || !model->is_string() || model->as_string().empty()) {
    return native_error(400, "BadRequest.EmptyModel", "Required parameter \"model\" missing from request.",
                        request_id);
  }
  const auto* input = body.if_contains("input");
  if (input == nullptr || !input->is_object()) {
    return native_error(400, "BadRequest.EmptyInput", "Required input parameter missing from request.", request_id);
  }

  VideoTask task;
  task.id = state.new_uuid();
  task.model = std::string(model->as_string());
  if (const auto* prompt = input->as_object().if_contains("prompt"); prompt != nullptr && prompt->is_string()) {
    task.prompt = std::string(prompt->as_string());
  }
  if (const auto* parameters = body.if_contains("parameters"); parameters != nullptr && parameters->is_object()) {
    task.resolution = resolution_of(parameters->as_object());
    if (const auto* duration = parameters->as_object().if_contains("duration");
        duration != nullptr && duration->is_int64()) {
      task.duration_seconds = static_cast<int>(duration->as_int64());
    }
  }
  task.submitted = std::chrono::steady_clock::now();
  task.submitted_wall = std::chrono::system_clock::now();

  std::lock_guard lock(state.mutex);
  if (!state.video_scripts.empty()) {
    task.script = std::move(state.video_scripts.front());
    state.video_scripts.pop_front();
  }
  if (const auto& error = task.script.submit_error) {
    HttpResponse response = native_error(error->status, error->code, error->message, request_id);
    if (error->retry_after_seconds >= 0) {
      response.headers.emplace_back("Retry-After", std::to_string(error->retry_after_seconds));
    }
    return response;
  }
  task.result_size = task.script.result_size != 0 ? task.script.result_size : state.default_result_size;
  const std::string task_id = task.id;
  state.tasks.emplace(task_id, std::move(task));

  json::object output;
  output["task_status"] = "PENDING";
  output["task_id"] = task_id;
  return json_reply(200, json::object{{"output", std::move(output)}, {"request_id", request_id}}, request_id);
}

// An OSS-style signed URL on this emulator; the query is decoration that a
// client must carry along untouched, as with the real result URLs.
std::string result_url(const State& state, const VideoTask& task) {
  const auto expires = unix_seconds(std::chrono::system_clock::now()) + 24 * 3600;
  return state.origin + "/results/" + task.id + ".mp4?Expires=" + std::to_string(expires) +
         "&OSSAccessKeyId=LTAI5tEmulator&Signature=" + task.id.substr(0, 8) + "%2Bemulator%3D";
}

HttpResponse poll(const HttpRequest& request, State& state) {
  const std::string request_id = state.new_uuid();
  if (auto refused = refuse_key(request, state, request_id)) return std::move(*refused);
  const std::string& task_id = request.captures.at(0);

  json::object output;
  output["task_id"] = task_id;
  json::object body;
  std::lock_guard lock(state.mutex);
  const auto found = state.tasks.find(task_id);
  if (found == state.tasks.end()) {
    // What DashScope answers for ids it never issued or has forgotten.
    output["task_status"] = "UNKNOWN";
    return json_reply(200, json::object{{"request_id", request_id}, {"output", std::move(output)}}, request_id);
  }
  VideoTask& task = found->second;
  const TaskStatus status = status_at(task, task.polls++);
  output["task_status"] = status_name(status);
  if (status == TaskStatus::Unknown) {
    return json_reply(200, json::object{{"request_id", request_id}, {"output", std::move(output)}}, request_id);
  }
  const auto now = std::chrono::system_clock::now();
  output["submit_time"] = task_time(task.submitted_wall);
  if (status != TaskStatus::Pending) output["scheduled_time"] = task_time(task.submitted_wall);
  const bool finished = status == TaskStatus::Succeeded || status == TaskStatus::Failed || status == TaskStatus::Canceled;
  if (finished) output["end_time"] = task_time(now);

  body["request_id"] = request_id;
  if (status == TaskStatus::Succeeded) {
    task.result_published = true;
    const std::string url = result_url(state, task);
    if (task.script.results_array) {
      output["results"] = json::array{json::object{{"video_url", url}}};
    } else {
      output["video_url"] = url;
    }
    output["orig_prompt"] = task.prompt;
    output["actual_prompt"] = task.prompt;
    body["output"] = std::move(output);
    body["usage"] = json::object{
        {"video_duration", task.duration_seconds}, {"video_count", 1}, {"SR", task.resolution}};
  } else {
    if (status == TaskStatus::Failed) {
      output["code"] = task.script.failure_code;
      output["message"] = task.script.failure_message;
    }
    body["output"] = std::move(output);
  }
  return json_reply(200, body, request_id);
}

HttpResponse cancel(const HttpRequest& request, State& state) {
  const std::string request_id = state.new_uuid();
  if (auto refused = refuse_key(request, state, request_id)) return std::move(*refused);
  std::lock_guard lock(state.mutex);
  const auto found = state.tasks.find(request.captures.at(0));
  if (found == state.tasks.end()) {
    return native_error(400, "InvalidParameter", "The task does not exist.", request_id);
  }
  VideoTask& task = found->second;
  if (status_at(task, task.polls) != TaskStatus::Pending) {
    return native_error(400, "UnsupportedOperation",
                        "Failed to cancel the task, please confirm if the task is in PENDING status.", request_id);
  }
  task.canceled = true;
  return json_reply(200, json::object{{"request_id", request_id}}, request_id);
}

}  // namespace

void add_video_routes(HttpServer& server, State& state) {
  server.route("POST", "/api/v1/services/aigc/video-generation/video-synthesis",
               [&state](const HttpRequest& request) { return submit(request, state); });
  server.route("GET", "/api/v1/tasks/([^/]+)", [&state](const HttpRequest& request) { return poll(request, state); });
  server.route("POST", "/api/v1/tasks/([^/]+)/cancel",
               [&state](const HttpRequest& request) { return cancel(request, state); });
}

}  // namespace dashscope_emulator::detail
