// Wan video generation as DashScope's async task API serves it: validate,
// submit once (a submit may create a paid job, so it is never resent after
// the server could have seen it), hand the task id to the host at once, then
// poll, wait and download on request. Request shape and limits live in
// video/video_request.*, hosts in video/video_endpoint.*, task replies in
// video/video_task.*.
#include "capabilities.hpp"
#include "upstream.hpp"
#include "video/video_endpoint.hpp"
#include "video/video_request.hpp"
#include "video/video_task.hpp"

#include "net/retry_policy.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

namespace openclaw::qwen {

namespace json = boost::json;

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kDefaultPollInterval{2'500};
constexpr milliseconds kDefaultMaxWait{300'000};
// Progress events while downloading: one per this many bytes, plus the last.
constexpr std::uint64_t kProgressStep = 256 * 1024;

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string request_id_of(const net::HttpHeaders& headers) {
  for (const auto* name : {"x-request-id", "x-dashscope-request-id"}) {
    if (const auto value = headers.get(name)) return std::string(*value);
  }
  return {};
}

PluginError cancelled_wait(std::string_view task_id) {
  return make_error(OC_ERR_CANCELLED,
                    "Stopped waiting for video task " + std::string(task_id) + "; it keeps running upstream.",
                    "Wait for it again later with the same task id.");
}

Result<std::string> origin_for(const CallContext& ctx, const video::JobHandle& handle) {
  if (!handle.aigc_origin.empty()) return handle.aigc_origin;
  return video::aigc_origin_for(ctx.base_url);
}

Result<video::TaskStatus> poll_task(const CallContext& ctx, const video::JobHandle& handle) {
  auto origin = origin_for(ctx, handle);
  if (!origin) return origin.error();
  auto request = make_request(ctx, "GET", video::task_url(*origin, handle.task_id));
  request.headers.remove("Content-Type");
  auto response = send_with_retries(ctx, request, SendOptions{handle.model, true, nullptr});
  if (!response) return video::explain_auth_failure(response.error(), ctx.base_url, ctx.api_key);
  auto status = video::parse_task_reply(response->body, handle.task_id);
  if (status && status->request_id.empty()) status->request_id = request_id_of(response->headers);
  return status;
}

// FAILED, CANCELED and UNKNOWN as errors that say what happened upstream.
PluginError terminal_error(const video::TaskStatus& status) {
  PluginError error;
  error.request_id = status.request_id;
  if (status.status == "UNKNOWN") {
    error.code = OC_ERR_NOT_FOUND;
    error.message = "Video task " + status.task_id +
                    " is unknown or expired: DashScope no longer knows it (tasks and their results are kept "
                    "for 24 hours).";
    error.hint = "Check the task id and that the base URL is in the region the job was submitted to; if it "
                 "has expired, submit the job again.";
    return error;
  }
  error.code = OC_ERR_UPSTREAM;
  if (status.status == "CANCELED") {
    error.message = "Video task " + status.task_id + " was canceled upstream" +
                    (status.message.empty() ? std::string(".") : ": " + status.message + ".");
    error.hint = "Submit the job again if you still want the video.";
    return error;
  }
  std::string detail = status.message.empty() ? std::string("no message") : status.message;
  if (!status.code.empty()) detail += " (" + status.code + ")";
  error.message = "Video task " + status.task_id + " failed upstream: " + detail + ".";
  error.hint = "No video was produced. Adjust the prompt or inputs and submit a new job.";
  return error;
}

// The <Code> and <Message> of an OSS XML error body, or the body's start.
std::string download_failure_detail(int status, std::string_view body) {
  const auto tag = [&](std::string_view name) -> std::string {
    const std::string open = "<" + std::string(name) + ">";
    const std::string close = "</" + std::string(name) + ">";
    const auto start = body.find(open);
    if (start == std::string_view::npos) return {};
    const auto end = body.find(close, start);
    if (end == std::string_view::npos) return {};
    return std::string(body.substr(start + open.size(), std::min<std::size_t>(end - start - open.size(), 200)));
  };
  std::string detail = "HTTP " + std::to_string(status);
  const auto code = tag("Code");
  const auto message = tag("Message");
  if (!code.empty()) detail += " " + code;
  if (!message.empty()) detail += ": " + message;
  return detail;
}

} // namespace

json::object video_describe() {
  json::array models;
  json::object modes;
  for (const auto& model : video::models()) {
    models.emplace_back(model.id);
    modes[model.id] = video::mode_name(model.mode);
  }
  json::object resolutions;
  for (const auto* resolution : {"480P", "720P", "1080P"}) {
    resolutions[resolution] = *video::size_for_resolution(resolution);
  }
  return json::object{
      {"defaultModel", video::kDefaultModel},
      {"models", std::move(models)},
      {"modes", std::move(modes)},
      {"limits",
       {{"maxVideos", video::kMaxOutputVideos},
        {"maxInputImages", video::kMaxInputImages},
        {"maxInputVideos", video::kMaxInputVideos},
        {"maxDurationSeconds", video::kMaxDurationSeconds}}},
      {"defaultDurationSeconds", video::kDefaultDurationSeconds},
      {"options", json::array{"size", "aspectRatio", "resolution", "audio", "watermark"}},
      {"resolutions", std::move(resolutions)},
      {"referenceInputs", "remote http(s) URLs only"},
      {"pollIntervalMs", kDefaultPollInterval.count()},
      {"defaultMaxWaitMs", kDefaultMaxWait.count()},
  };
}

Result<json::object> video_submit(const ProviderSpec&, const CallContext& ctx, const json::object& request,
                                  EventSink& events) {
  auto parsed = video::parse_video_request(request);
  if (!parsed) return parsed.error();
  auto origin = video::aigc_origin_for(ctx.base_url);
  if (!origin) return origin.error();
  if (auto key = require_api_key(ctx, "video generation"); !key) return key.error();

  auto http = make_request(ctx, "POST", video::submit_url(*origin),
                           json::serialize(video::build_submit_body(*parsed)));
  http.headers.set("X-DashScope-Async", "enable");
  // Not idempotent: only a failure to connect (the server never saw the
  // request) is retried, so a job is never created twice.
  auto response = send_with_retries(ctx, http, SendOptions{parsed->model, false, &events});
  if (!response) return video::explain_auth_failure(response.error(), ctx.base_url, ctx.api_key);

  json::error_code ec;
  const auto reply = json::parse(response->body, ec);
  const json::value* task_id = nullptr;
  if (!ec && reply.is_object()) {
    if (const auto* output = reply.as_object().if_contains("output"); output != nullptr && output->is_object()) {
      task_id = output->as_object().if_contains("task_id");
    }
  }
  if (task_id == nullptr || !task_id->is_string() || !video::valid_task_id(task_id->as_string())) {
    auto error = make_error(OC_ERR_UPSTREAM, "The video submit reply has no usable output.task_id.",
                            "Check that the base URL points at DashScope; if a job was created, it shows up in "
                            "the Model Studio console.");
    error.request_id = request_id_of(response->headers);
    return error;
  }

  video::JobHandle handle;
  handle.task_id = std::string(task_id->as_string());
  handle.model = parsed->model;
  handle.aigc_origin = *origin;
  handle.submitted_at_ms = now_unix_ms();
  auto job = handle.to_json();
  // The host persists the id now: whatever happens next, the paid job can
  // be found again.
  events.job(handle.task_id, json::serialize(job));
  return job;
}

Result<json::object> video_poll(const ProviderSpec&, const CallContext& ctx, const json::object& job) {
  auto handle = video::parse_job_handle(job);
  if (!handle) return handle.error();
  if (auto key = require_api_key(ctx, "video generation"); !key) return key.error();
  auto status = poll_task(ctx, *handle);
  if (!status) return status.error();
  return status->to_json();
}

Result<VideoWaitOutcome> video_wait(const ProviderSpec&, const CallContext& ctx, const json::object& job,
                                    std::uint32_t max_wait_ms, EventSink& events) {
  auto handle = video::parse_job_handle(job);
  if (!handle) return handle.error();
  if (auto key = require_api_key(ctx, "video generation"); !key) return key.error();
  const milliseconds interval = handle->poll_interval_ms > 0 ? milliseconds(handle->poll_interval_ms)
                                                             : kDefaultPollInterval;
  const milliseconds budget = max_wait_ms > 0 ? milliseconds(max_wait_ms) : kDefaultMaxWait;
  const auto start = steady_clock::now();
  const auto deadline = start + budget;

  while (true) {
    if (ctx.cancelled()) return cancelled_wait(handle->task_id);
    auto status = poll_task(ctx, *handle);
    if (!status) {
      if (status.error().code == OC_ERR_CANCELLED) return cancelled_wait(handle->task_id);
      return status.error();
    }
    if (status->status == "SUCCEEDED") {
      if (status->video_urls.empty()) {
        auto error = make_error(OC_ERR_UPSTREAM,
                                "Video task " + handle->task_id + " succeeded but the reply has no video URL.",
                                "Poll the task again; if the URL stays missing, check the Model Studio console.");
        error.request_id = status->request_id;
        return error;
      }
      return VideoWaitOutcome{OC_OK, status->to_json()};
    }
    if (status->terminal()) return terminal_error(*status);

    const auto now = steady_clock::now();
    const auto elapsed = std::chrono::duration_cast<milliseconds>(now - start);
    if (!events.progress(handle->task_id, status->status, static_cast<std::uint64_t>(elapsed.count()))) {
      return cancelled_wait(handle->task_id);
    }
    if (now >= deadline) return VideoWaitOutcome{OC_INCOMPLETE, status->to_json()};
    const auto pause = std::min<milliseconds>(interval, std::chrono::duration_cast<milliseconds>(deadline - now));
    if (!net::sleep_unless_cancelled(pause, ctx.cancelled)) return cancelled_wait(handle->task_id);
  }
}

Status video_download(const ProviderSpec&, const CallContext& ctx, std::string_view url, EventSink& events,
                      const ByteSink& bytes) {
  const auto endpoint = catalog::classify_endpoint(url);
  if (!endpoint) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "The video result URL is not an http(s) URL.",
                      "Pass one of the videoUrls a finished task reported.");
  }
  // A signed result link: it carries its own authorisation, and the API key
  // must never travel to the storage host.
  net::HttpRequest request;
  request.method = "GET";
  request.url = std::string(url);
  request.headers.set("Accept", "*/*");
  net::HttpTimeouts timeouts;
  timeouts.connect = ctx.connect_timeout;
  timeouts.read_idle = ctx.read_timeout;
  request.timeouts = timeouts;
  request.cancel = ctx.cancelled;

  auto& client = http_client_for(ctx);
  const net::RetryPolicy policy;
  for (int retries = 0;; ++retries) {
    std::uint64_t total = 0;
    std::uint64_t done = 0;
    std::uint64_t reported = 0;
    bool refused = false;
    const auto started = steady_clock::now();
    const auto elapsed_ms = [&] {
      return static_cast<std::uint64_t>(
          std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count());
    };
    const net::ResponseStartHandler on_start = [&](int status, const net::HttpHeaders& headers) {
      if (status >= 200 && status < 300) {
        if (const auto length = headers.get("content-length")) {
          try {
            total = std::stoull(std::string(*length));
          } catch (const std::exception&) {
            total = 0;
          }
        }
      }
      return true;
    };
    const net::BodyHandler on_body = [&](std::string_view chunk) {
      if (chunk.empty()) return true;
      if (!bytes(chunk)) {
        refused = true;
        return false;
      }
      done += chunk.size();
      if (done - reported >= kProgressStep) {
        reported = done;
        if (!events.progress("", "downloading", elapsed_ms(), done, total)) return false;
      }
      return true;
    };
    auto result = client.send_streaming(request, on_body, on_start);
    if (refused) return make_error(OC_ERR_CANCELLED, "The host stopped accepting the download.");
    if (events.stopped() || ctx.cancelled()) return make_error(OC_ERR_CANCELLED, "The download was cancelled.");

    net::ApiError error;
    if (result && result->is_success()) {
      if (total != 0 && done != total) {
        return make_error(OC_ERR_NETWORK,
                          "The video download ended early (" + std::to_string(done) + " of " +
                              std::to_string(total) + " bytes).",
                          "Download it again; nothing partial was kept.");
      }
      if (!events.progress("", "downloading", elapsed_ms(), done, total != 0 ? total : done)) {
        return make_error(OC_ERR_CANCELLED, "The download was cancelled.");
      }
      return Ok{};
    }
    if (result) {
      const int status = result->status;
      if (status == 403 || status == 404 || status == 410) {
        auto expired = make_error(
            OC_ERR_NOT_FOUND,
            "The video result link has expired or no longer exists (" + download_failure_detail(status, result->body) +
                ").",
            "DashScope keeps results for 24 hours after the task finishes; after that the job has to be "
            "submitted again.");
        expired.http_status = status;
        expired.request_id = request_id_of(result->headers);
        return expired;
      }
      error = net::map_http_error(status, result->headers, result->body, net::ErrorContext{});
    } else {
      error = net::map_transport_error(result.error());
    }
    if (error.kind == net::ErrorKind::Cancelled) return make_error(OC_ERR_CANCELLED, "The download was cancelled.");
    net::AttemptInfo info;
    info.idempotent = true;
    info.stream_started = done > 0;
    const auto decision = net::decide_retry(policy, retries, error, info, net::random_jitter());
    if (!decision.retry) {
      auto failure = to_plugin_error(error);
      failure.message = "The video download failed: " + failure.message;
      if (done > 0 && failure.hint.empty()) failure.hint = "Download it again; nothing partial was kept.";
      return failure;
    }
    if (!events.retry(static_cast<std::uint32_t>(retries + 1), static_cast<std::uint32_t>(decision.delay.count()),
                      status_for(error.kind)) ||
        !net::sleep_unless_cancelled(decision.delay, ctx.cancelled)) {
      return make_error(OC_ERR_CANCELLED, "The download was cancelled.");
    }
  }
}

} // namespace openclaw::qwen
