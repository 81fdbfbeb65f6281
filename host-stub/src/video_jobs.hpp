// Video jobs as claw-host runs them: submit through the plugin and persist
// the task id in the job store from inside the JOB_SUBMITTED event (before
// anything else can go wrong), then wait, download atomically, and record
// every outcome (status, result URLs, output path, last error) in the job
// file, so `video status` / `video resume` pick any job up again.
#pragma once

#include "call_context.hpp"
#include "cancellation.hpp"

#include "claw_host/job_store.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace claw_host {

// How results are shown: NDJSON on stdout with --json, else words on stderr
// (progress only on a terminal).
struct VideoOutput {
  bool json = false;
  bool progress = false;
};

// One plugin's video capability with the context for its calls.
struct VideoCall {
  const oc_video_generation_v1* video = nullptr;
  const CallContextHolder* context = nullptr;
  const InterruptToken* interrupt = nullptr;
};

// The video capability of the context's provider; throws CliError naming the
// fix when the provider has none.
const oc_video_generation_v1* video_capability(const CallContextHolder& context, const std::string& provider_id);

struct SubmitInfo {
  std::string provider; // as the user referenced it, eg "qwen"
  std::string prompt;
  std::string base_url; // the chat base URL the call used ("" = the plugin default)
  std::optional<std::filesystem::path> requested_output;
};

// Validates (in the plugin) and submits. The record is in the store before
// this returns, and the task id has been printed.
VideoJobRecord submit_video_job(const VideoCall& call, JobStore& store, const boost::json::object& request,
                                const SubmitInfo& info, const VideoOutput& output);

struct WaitOptions {
  std::uint32_t max_wait_ms = 0;                  // 0: the plugin's default
  std::optional<std::uint32_t> poll_interval_ms;  // --poll-interval-ms / OPENCLAW_VIDEO_POLL_MS
  std::optional<std::filesystem::path> output;    // else the record's, else ./<task id>.mp4
};

// Waits for the job, downloads the video to a file (committed only when
// complete) and returns the updated record. Every failure updates the record
// (status, lastError) and throws CliError.
VideoJobRecord wait_and_download(const VideoCall& call, JobStore& store, const VideoJobRecord& record,
                                 const WaitOptions& options, const VideoOutput& output);

// One live status check; updates the record. Returns the plugin's status
// document ({"taskId","status","videoUrls",...}).
boost::json::object poll_video_job(const VideoCall& call, JobStore& store, const VideoJobRecord& record);

// The job handle the plugin expects, rebuilt from a stored record.
boost::json::object job_handle_of(const VideoJobRecord& record);

} // namespace claw_host
