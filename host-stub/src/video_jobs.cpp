#include "video_jobs.hpp"

#include "abi_call.hpp"
#include "cli_error.hpp"
#include "terminal.hpp"

#include "claw_host/atomic_file.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>

namespace claw_host {

namespace json = boost::json;
using openclaw::json_fields::string_at;
namespace fs = std::filesystem;

namespace {

std::string_view view(oc_str text) {
  return text.ptr == nullptr ? std::string_view() : std::string_view(text.ptr, text.len);
}

// ": <message> (<code>)." of a FAILED/CANCELED status document.
std::string upstream_detail(const json::object& status) {
  const auto message = string_at(status, "message");
  const auto code = string_at(status, "code");
  if (message.empty() && code.empty()) return ".";
  return ": " + (message.empty() ? std::string("no message") : message) + (code.empty() ? "" : " (" + code + ")") + ".";
}

std::string resume_command(const std::string& task_id) { return "`claw-host video resume " + task_id + "`"; }

std::string mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// A plugin failure as the CLI reports it: message, then hint and request id.
CliError cli_error_for(const AbiCall& call, oc_status status, const CallContextHolder& context,
                       const std::string& prefix = {}, const std::string& extra_hint = {}) {
  const auto failure = call.failure(status, context.registered());
  std::string hint = failure.hint;
  if (!extra_hint.empty()) hint += (hint.empty() ? "" : " ") + extra_hint;
  if (!failure.request_id.empty()) hint += (hint.empty() ? "" : " ") + std::string("(request id ") + failure.request_id + ")";
  if (failure.retry_after_ms > 0) hint += " Retry after " + std::to_string(failure.retry_after_ms / 1000) + " s.";
  return CliError(exit_code_for(status), prefix + failure.message, hint);
}

// Updates the job file; a failure is reported once but never ends the
// command (the job itself is fine upstream).
class RecordUpdater {
public:
  RecordUpdater(JobStore& store, std::string task_id) : store_(store), task_id_(std::move(task_id)) {}

  void operator()(const std::function<void(VideoJobRecord&)>& change) {
    auto updated = store_.update(task_id_, change);
    if (!updated && !warned_) {
      warned_ = true;
      std::cerr << "warning: could not update the job file: " << updated.error().message << '\n';
    }
  }

private:
  JobStore& store_;
  std::string task_id_;
  bool warned_ = false;
};

// A one-line progress display on a terminal; nothing when piped.
class ProgressLine {
public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { end(); }
  void show(const std::string& text) {
    if (!enabled_) return;
    std::cerr << "\r\x1b[K" << text << std::flush;
    open_ = true;
  }
  void end() {
    if (open_) std::cerr << '\n' << std::flush;
    open_ = false;
  }

private:
  bool enabled_;
  bool open_ = false;
};

// ---- submit ------------------------------------------------------------------

struct SubmitState {
  JobStore* store = nullptr;
  const SubmitInfo* info = nullptr;
  const VideoOutput* output = nullptr;
  std::optional<VideoJobRecord> record;
  std::string persist_error;
};

VideoJobRecord record_from_job(const json::object& job, const SubmitInfo& info) {
  VideoJobRecord record;
  record.task_id = string_at(job, "taskId");
  record.provider = info.provider;
  record.model = string_at(job, "model");
  record.prompt = info.prompt;
  record.endpoint = string_at(job, "aigcOrigin");
  if (const auto* submitted = job.if_contains("submittedAt"); submitted != nullptr && submitted->is_int64()) {
    record.created_at_ms = submitted->as_int64();
  }
  record.status = "submitted";
  if (!info.base_url.empty()) record.extra["baseUrl"] = info.base_url;
  if (info.requested_output) record.extra["requestedOutputPath"] = info.requested_output->string();
  return record;
}

// Persists the job the moment the plugin reports it, before submit returns.
void persist_submitted(SubmitState& state, std::string_view job_json) {
  json::error_code ec;
  const auto job = json::parse(job_json, ec);
  if (ec || !job.is_object()) {
    state.persist_error = "the plugin's job document is not a JSON object";
    return;
  }
  auto record = record_from_job(job.as_object(), *state.info);
  if (auto stored = state.store->put(record); !stored) {
    state.persist_error = stored.error().message;
  }
  state.record = std::move(record);
  const auto& saved = *state.record;
  if (state.output->json) {
    json::object line{{"event", "submitted"}, {"taskId", saved.task_id}, {"model", saved.model},
                      {"aigcOrigin", saved.endpoint}, {"saved", state.persist_error.empty()}};
    std::cout << json::serialize(line) << '\n' << std::flush;
  } else {
    std::cerr << "Submitted video task " << saved.task_id << " (" << saved.model << ")";
    if (state.persist_error.empty()) std::cerr << "; if this stops, resume with " << resume_command(saved.task_id);
    std::cerr << ".\n" << std::flush;
  }
}

int32_t OC_ABI on_submit_event(void* user_data, const oc_event_header* header) {
  auto& state = *static_cast<SubmitState*>(user_data);
  try {
    if (header->type == OC_EVENT_JOB_SUBMITTED) {
      persist_submitted(state, view(reinterpret_cast<const oc_event_job*>(header)->job_json));
    } else if (header->type == OC_EVENT_RETRY && state.output->progress) {
      const auto* retry = reinterpret_cast<const oc_event_retry*>(header);
      std::cerr << styled(stderr, "retrying in " + std::to_string(retry->delay_ms) + " ms", kDim) << '\n';
    }
  } catch (const std::exception& e) {
    state.persist_error = e.what(); // never let an exception cross into the plugin
  }
  return 0;
}

// ---- wait --------------------------------------------------------------------

struct WaitState {
  RecordUpdater* update = nullptr;
  ProgressLine* line = nullptr;
  std::string task_id;
  std::string last_phase;
};

int32_t OC_ABI on_wait_event(void* user_data, const oc_event_header* header) {
  auto& state = *static_cast<WaitState*>(user_data);
  try {
    if (header->type == OC_EVENT_PROGRESS) {
      const auto* progress = reinterpret_cast<const oc_event_progress*>(header);
      const std::string phase(view(progress->phase));
      if (phase != state.last_phase) {
        state.last_phase = phase;
        (*state.update)([&](VideoJobRecord& record) { record.status = phase; });
      }
      state.line->show(state.task_id + ": " + phase + " (" + std::to_string(progress->elapsed_ms / 1000) + " s)");
    }
  } catch (const std::exception&) {
    // display or bookkeeping only; the wait goes on
  }
  return 0;
}

// ---- download ----------------------------------------------------------------

struct DownloadState {
  AtomicFileWriter* writer = nullptr;
  ProgressLine* line = nullptr;
  std::string write_error;
};

int32_t OC_ABI write_download(void* user_data, const char* ptr, size_t len) {
  auto& state = *static_cast<DownloadState*>(user_data);
  auto written = state.writer->write(std::string_view(ptr, len));
  if (!written) {
    state.write_error = written.error().message;
    return 1;
  }
  return 0;
}

int32_t OC_ABI on_download_event(void* user_data, const oc_event_header* header) {
  auto& state = *static_cast<DownloadState*>(user_data);
  if (header->type == OC_EVENT_PROGRESS) {
    const auto* progress = reinterpret_cast<const oc_event_progress*>(header);
    std::string text = "downloading " + mebibytes(progress->done);
    if (progress->total > 0) {
      text += " of " + mebibytes(progress->total) + " (" + std::to_string(progress->done * 100 / progress->total) + "%)";
    }
    try {
      state.line->show(text);
    } catch (const std::exception&) {
    }
  }
  return 0;
}

// Files get the permissions the user's umask allows, as any new file would.
mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

fs::path output_path_for(const VideoJobRecord& record, const WaitOptions& options) {
  fs::path path;
  if (options.output) {
    path = *options.output;
  } else if (const auto* requested = record.extra.if_contains("requestedOutputPath");
             requested != nullptr && requested->is_string() && !requested->as_string().empty()) {
    path = std::string(requested->as_string());
  } else {
    path = record.task_id + ".mp4";
  }
  return fs::absolute(path);
}

std::vector<std::string> urls_of(const json::object& status) {
  std::vector<std::string> urls;
  if (const auto* list = status.if_contains("videoUrls"); list != nullptr && list->is_array()) {
    for (const auto& url : list->as_array()) {
      if (url.is_string()) urls.emplace_back(url.as_string());
    }
  }
  return urls;
}

json::object parse_status(const std::string& text) {
  json::error_code ec;
  auto value = json::parse(text, ec);
  return !ec && value.is_object() ? value.as_object() : json::object{};
}

} // namespace

const oc_video_generation_v1* video_capability(const CallContextHolder& context, const std::string& provider_id) {
  const auto* video = static_cast<const oc_video_generation_v1*>(
      context.provider()->get_capability(context.provider(), OC_CAPABILITY_VIDEO_GENERATION));
  if (video == nullptr || !OC_HAS_FIELD(video, oc_video_generation_v1, download) || video->submit == nullptr ||
      video->poll == nullptr || video->wait == nullptr || video->download == nullptr) {
    throw CliError(kExitUnavailable, "Provider '" + provider_id + "' does not offer video generation.",
                   "Use the qwen provider with a DashScope key (`claw-host onboard --auth-choice "
                   "qwen-standard-api-key`).");
  }
  return video;
}

json::object job_handle_of(const VideoJobRecord& record) {
  return json::object{{"taskId", record.task_id},
                      {"model", record.model},
                      {"aigcOrigin", record.endpoint},
                      {"submittedAt", record.created_at_ms}};
}

VideoJobRecord submit_video_job(const VideoCall& call, JobStore& store, const json::object& request,
                                const SubmitInfo& info, const VideoOutput& output) {
  SubmitState state;
  state.store = &store;
  state.info = &info;
  state.output = &output;
  AbiCall abi;
  const auto request_text = json::serialize(request);
  const oc_status status = call.video->submit(call.context->provider(), call.context->get(), to_oc(request_text),
                                              on_submit_event, &state, abi.sink(), abi.error());
  if (status != OC_OK && !state.record) {
    if (status == OC_ERR_CANCELLED && call.interrupt->interrupted()) {
      throw CliError(kExitInterrupted, "Interrupted before the job was submitted.");
    }
    throw cli_error_for(abi, status, *call.context);
  }
  if (!state.record) {
    // No JOB_SUBMITTED event (an older plugin?): persist from the handle.
    persist_submitted(state, abi.output());
    if (!state.record) {
      throw CliError(kExitFailure, "The plugin reported a submitted video job without a task id.",
                     "Check the job in the Model Studio console; please report this plugin bug.");
    }
  }
  if (!state.persist_error.empty()) {
    throw CliError(kExitConfig,
                   "Video task " + state.record->task_id + " was submitted but could not be saved: " +
                       state.persist_error + ".",
                   "Note the task id; fix the state directory, then run " + resume_command(state.record->task_id) +
                       " (it needs the job file), or check the job in the Model Studio console.");
  }
  return *state.record;
}

json::object poll_video_job(const VideoCall& call, JobStore& store, const VideoJobRecord& record) {
  AbiCall abi;
  const auto job = json::serialize(job_handle_of(record));
  const oc_status status =
      call.video->poll(call.context->provider(), call.context->get(), to_oc(job), abi.sink(), abi.error());
  RecordUpdater update(store, record.task_id);
  if (status != OC_OK) {
    const auto error = cli_error_for(abi, status, *call.context);
    if (status != OC_ERR_CANCELLED) update([&](VideoJobRecord& r) { r.last_error = error.what(); });
    throw error;
  }
  auto doc = parse_status(abi.output());
  const auto live = string_at(doc, "status");
  const auto urls = urls_of(doc);
  update([&](VideoJobRecord& r) {
    if (!live.empty()) r.status = live;
    if (!urls.empty()) r.result_urls = urls;
    if (live == "UNKNOWN") {
      r.last_error = "DashScope no longer knows this task (unknown or expired).";
    } else if (live == "FAILED" || live == "CANCELED") {
      r.last_error = "Task " + live + upstream_detail(doc);
    }
  });
  return doc;
}

VideoJobRecord wait_and_download(const VideoCall& call, JobStore& store, const VideoJobRecord& record,
                                 const WaitOptions& options, const VideoOutput& output) {
  const std::string& task_id = record.task_id;
  RecordUpdater update(store, task_id);
  ProgressLine line(output.progress);

  // 1. Wait for a terminal status.
  auto job = job_handle_of(record);
  if (options.poll_interval_ms) job["pollIntervalMs"] = *options.poll_interval_ms;
  const auto job_text = json::serialize(job);
  WaitState wait_state{&update, &line, task_id, {}};
  AbiCall wait_call;
  const oc_status waited =
      call.video->wait(call.context->provider(), call.context->get(), to_oc(job_text), options.max_wait_ms,
                       on_wait_event, &wait_state, wait_call.sink(), wait_call.error());
  line.end();
  if (waited == OC_ERR_CANCELLED && call.interrupt->interrupted()) {
    throw CliError(kExitInterrupted, "Interrupted: stopped waiting for video task " + task_id + ".",
                   "The job keeps running upstream; resume with " + resume_command(task_id) + ".");
  }
  if (waited != OC_OK && waited != OC_INCOMPLETE) {
    auto error = cli_error_for(wait_call, waited, *call.context);
    // Learn the terminal status (FAILED, CANCELED, UNKNOWN) for the record.
    std::string live;
    if (waited == OC_ERR_NOT_FOUND || waited == OC_ERR_UPSTREAM) {
      AbiCall poll;
      if (call.video->poll(call.context->provider(), call.context->get(), to_oc(job_text), poll.sink(),
                           poll.error()) == OC_OK) {
        live = string_at(parse_status(poll.output()), "status");
      }
    }
    update([&](VideoJobRecord& r) {
      if (!live.empty()) r.status = live;
      r.last_error = error.what();
    });
    throw error;
  }
  const auto result = parse_status(wait_call.output());
  const auto live = string_at(result, "status");
  if (waited == OC_INCOMPLETE) {
    update([&](VideoJobRecord& r) {
      if (!live.empty()) r.status = live;
    });
    throw CliError(kExitNetwork,
                   "Video task " + task_id + " is still " + (live.empty() ? "running" : live) +
                       " after the wait ended.",
                   "It keeps running upstream: resume with " + resume_command(task_id) +
                       " (or wait longer with --max-wait SECONDS).");
  }
  const auto urls = urls_of(result);
  update([&](VideoJobRecord& r) {
    r.status = live.empty() ? "SUCCEEDED" : live;
    r.result_urls = urls;
    r.last_error.clear();
  });
  if (urls.empty()) {
    throw CliError(kExitFailure, "Video task " + task_id + " finished without a result URL.",
                   "Check it with `claw-host video status " + task_id + "`.");
  }

  // 2. Download into a temp file next to the target; commit only when whole.
  const auto target = output_path_for(record, options);
  AtomicWriteOptions write_options;
  write_options.mode = new_file_mode();
  auto writer = AtomicFileWriter::create(target, write_options);
  if (!writer) {
    const std::string message = "Cannot write " + target.string() + ": " + writer.error().message;
    update([&](VideoJobRecord& r) { r.last_error = message; });
    throw CliError(kExitConfig, message,
                   "Choose another file with --out, then run " + resume_command(task_id) + ".");
  }
  DownloadState download_state{&*writer, &line, {}};
  oc_sink sink{&download_state, write_download};
  AbiCall download_call;
  const oc_status downloaded =
      call.video->download(call.context->provider(), call.context->get(), to_oc(urls.front()), on_download_event,
                           &download_state, &sink, download_call.error());
  line.end();
  if (downloaded != OC_OK) {
    writer->abort();
    std::string message;
    int exit_code = exit_code_for(downloaded);
    std::string hint;
    if (!download_state.write_error.empty()) {
      message = "Cannot write " + target.string() + ": " + download_state.write_error;
      exit_code = kExitConfig;
      hint = "Free some space or choose another file with --out, then run " + resume_command(task_id) + ".";
    } else if (downloaded == OC_ERR_CANCELLED && call.interrupt->interrupted()) {
      message = "Interrupted while downloading video task " + task_id + "; nothing was written.";
      hint = "Run " + resume_command(task_id) + " to download it.";
    } else {
      const auto error = cli_error_for(download_call, downloaded, *call.context, "Download of video task " + task_id + " failed: ");
      message = error.what();
      hint = error.hint();
      exit_code = error.exit_code();
    }
    update([&](VideoJobRecord& r) { r.last_error = message; });
    throw CliError(exit_code, message, hint);
  }
  const auto bytes = writer->bytes_written();
  if (auto committed = writer->commit(); !committed) {
    const std::string message = "Cannot save " + target.string() + ": " + committed.error().message;
    update([&](VideoJobRecord& r) { r.last_error = message; });
    throw CliError(kExitConfig, message, "Choose another file with --out, then run " + resume_command(task_id) + ".");
  }
  update([&](VideoJobRecord& r) {
    r.output_path = target.string();
    r.last_error.clear();
  });

  if (output.json) {
    json::array url_array;
    for (const auto& url : urls) url_array.emplace_back(url);
    json::object done{{"event", "completed"}, {"taskId", task_id},    {"status", "SUCCEEDED"},
                      {"videoUrls", url_array}, {"outputPath", target.string()}, {"bytes", bytes}};
    std::cout << json::serialize(done) << '\n' << std::flush;
  } else {
    std::cerr << "Saved " << mebibytes(bytes) << " to " << target.string() << ".\n";
    std::cout << target.string() << '\n';
  }
  auto stored = store.get(task_id);
  if (stored) return *stored;
  VideoJobRecord fallback = record;
  fallback.status = "SUCCEEDED";
  fallback.output_path = target.string();
  return fallback;
}

} // namespace claw_host
