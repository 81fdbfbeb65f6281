// `claw-host video`: Wan video generation as async jobs. `generate` submits
// and (unless --no-wait) waits and downloads; the task id is saved in
// <state dir>/jobs the moment it exists, so `status`, `resume` and `list`
// pick any job up again after an interruption.
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"
#include "video_jobs.hpp"

#include <boost/json.hpp>

#include <ctime>
#include <iostream>
#include <iterator>

namespace claw_host {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host video <command> [options]

Wan video generation (async jobs on DashScope). A submitted job is paid for,
so its task id is saved in <state dir>/jobs/<task id>.json at once; nothing
short of deleting that file loses it.

Commands:
  generate "prompt"   submit a job, wait for it and download the video
  status ID           ask DashScope for a job's status (updates the job file)
  resume ID           wait for a job and download it (after an interruption)
  list                jobs saved in the job store

Run `claw-host video <command> --help` for a command's options.
)";

constexpr const char* kGenerateHelp = R"(Usage: claw-host video generate [options] "prompt"

Submits a Wan video job, prints its task id at once (it is saved before
anything else happens), waits for it and downloads the video.

Options:
  --model ID           wan2.6-t2v (default without references), wan2.6-i2v
                       (default with one image), wan2.6-r2v (default with
                       reference videos), wan2.6-r2v-flash, wan2.7-r2v
  --image URL          a reference image (at most 1; http(s) URLs only)
  --video URL          a reference video (repeatable, at most 4; http(s) URLs only)
  --duration S         length in seconds, 1-10 (default 5)
  --size W*H           exact size, eg 1280*720
  --resolution R       480P, 720P or 1080P (used when no --size is given)
  --aspect-ratio R     eg 16:9
  --audio              generate an audio track
  --no-watermark       ask for no watermark
  --out FILE           where to save the video (default ./<task id>.mp4)
  --no-wait            submit only; print the task id and exit
  --max-wait S         stop waiting after S seconds (default 300); the job keeps
                       running and `claw-host video resume ID` picks it up
  --base-url URL       use this endpoint instead of the configured one
  --json               machine output: one JSON object per line on stdout
                       ({"event":"submitted",...} at once, then
                       {"event":"completed",...})
  --help               show this help

Progress shows on a terminal only. Poll interval: 2.5 s; tests and demos may
shorten it with OPENCLAW_VIDEO_POLL_MS (milliseconds, at least 10).
)";

constexpr const char* kStatusHelp = R"(Usage: claw-host video status ID [--json] [--base-url URL]

Asks DashScope for the job's status now, updates its job file (status,
result URLs, last error) and prints the job.
)";

constexpr const char* kResumeHelp = R"(Usage: claw-host video resume ID [--out FILE] [--max-wait S] [--json] [--base-url URL]

Waits for a saved job and downloads its video: after Ctrl-C, a crash, a
--no-wait submit or a wait that ran out. The download is written to a
temporary file and renamed into place only when complete.
)";

constexpr const char* kListHelp = R"(Usage: claw-host video list [--json]

Lists the jobs in <state dir>/jobs (oldest first) as saved: task id, status,
model, when it was submitted, and the downloaded file or last error. Run
`claw-host video status ID` for a live status.
)";

std::string format_time(std::int64_t unix_ms) {
  if (unix_ms <= 0) return "-";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

std::uint32_t parse_seconds_ms(const std::string& text, const std::string& option) {
  try {
    std::size_t used = 0;
    const double seconds = std::stod(text, &used);
    if (used != text.size() || seconds <= 0 || seconds > 86'400) throw std::invalid_argument(text);
    return static_cast<std::uint32_t>(seconds * 1000);
  } catch (const std::exception&) {
    throw CliError(kExitUsage, option + " takes a number of seconds, eg 600.");
  }
}

// OPENCLAW_VIDEO_POLL_MS (or the hidden --poll-interval-ms) shortens the
// poll interval for tests and demos.
std::optional<std::uint32_t> poll_interval(HostSession& session, const CliArgs& cli) {
  std::optional<std::string> text = cli.value("poll-interval-ms");
  const std::string source = text ? "--poll-interval-ms" : "OPENCLAW_VIDEO_POLL_MS";
  if (!text) text = session.env().get("OPENCLAW_VIDEO_POLL_MS");
  if (!text) return std::nullopt;
  try {
    std::size_t used = 0;
    const long value = std::stol(*text, &used);
    if (used != text->size() || value < 10 || value > 600'000) throw std::invalid_argument(*text);
    return static_cast<std::uint32_t>(value);
  } catch (const std::exception&) {
    throw CliError(kExitUsage, source + " must be a whole number of milliseconds from 10 to 600000.");
  }
}

VideoOutput output_for(const CliArgs& cli) {
  VideoOutput output;
  output.json = cli.flag("json");
  output.progress = !output.json && is_tty(stderr);
  return output;
}

// "qwen/wan2.6-t2v" -> provider "qwen"; a bare id uses qwen.
std::string provider_of(const std::string& model) {
  const auto slash = model.find('/');
  return slash == std::string::npos ? std::string("qwen") : model.substr(0, slash);
}

std::string task_id_arg(const CliArgs& cli, const char* command) {
  if (cli.positionals().size() != 1) {
    throw CliError(kExitUsage, std::string("`claw-host video ") + command + "` takes one task id.",
                   std::string("Run `claw-host video list` for the saved ones, eg `claw-host video ") + command +
                       " <task id>`.");
  }
  const auto& id = cli.positionals()[0];
  if (auto valid = validate_task_id(id); !valid) throw CliError(kExitUsage, valid.error().message);
  return id;
}

VideoJobRecord load_job(JobStore& store, const std::string& task_id) {
  auto record = store.get(task_id);
  if (!record) {
    const int code = record.error().code == ErrorCode::not_found ? kExitUnavailable : kExitConfig;
    throw CliError(code, record.error().message);
  }
  return *record;
}

// The endpoint a saved job's calls use: --base-url, else the one it was
// submitted with, else the configured one. (Polls go to the job's own
// aigcOrigin either way; this decides the key and config.)
std::optional<std::string> base_url_for(const CliArgs& cli, const VideoJobRecord& record) {
  if (auto flag = cli.value("base-url")) return flag;
  if (const auto* saved = record.extra.if_contains("baseUrl"); saved != nullptr && saved->is_string()) {
    return std::string(saved->as_string());
  }
  return std::nullopt;
}

void print_record(const VideoJobRecord& record, std::ostream& out) {
  out << "task:      " << record.task_id << '\n'
      << "status:    " << record.status << '\n'
      << "model:     " << record.provider << '/' << record.model << '\n'
      << "prompt:    " << record.prompt << '\n'
      << "submitted: " << format_time(record.created_at_ms) << " to " << record.endpoint << '\n';
  for (const auto& url : record.result_urls) out << "result:    " << url << '\n';
  if (!record.output_path.empty()) out << "saved to:  " << record.output_path << '\n';
  if (!record.last_error.empty()) out << "error:     " << record.last_error << '\n';
}

int run_generate(HostSession& session, const Args& args) {
  CliArgs cli(args,
              {{"model", true},        {"image", true, true},   {"video", true, true},  {"duration", true},
               {"size", true},         {"resolution", true},    {"aspect-ratio", true}, {"audio", false},
               {"no-watermark", false}, {"out", true},          {"no-wait", false},     {"max-wait", true},
               {"base-url", true},     {"json", false},         {"poll-interval-ms", true}, {"help", false}},
              "video generate");
  if (cli.flag("help")) {
    std::cout << kGenerateHelp;
    return kExitOk;
  }
  const auto& positionals = cli.positionals();
  if (positionals.size() > 1) {
    throw CliError(kExitUsage, "Give the prompt as one argument (quote it).", "Run `claw-host video generate --help`.");
  }
  std::string prompt;
  if (positionals.size() == 1 && positionals[0] != "-") {
    prompt = positionals[0];
  } else if (positionals.empty() && is_tty(stdin)) {
    throw CliError(kExitUsage, "No prompt given.", "Run `claw-host video generate \"a prompt\"`, or pipe it in.");
  } else {
    prompt.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }

  json::object request{{"prompt", prompt}};
  std::string model_ref = cli.value("model").value_or("");
  if (!model_ref.empty()) request["model"] = model_ref;
  json::array images;
  for (const auto& image : cli.values("image")) images.emplace_back(image);
  if (!images.empty()) request["images"] = std::move(images);
  json::array videos;
  for (const auto& video : cli.values("video")) videos.emplace_back(video);
  if (!videos.empty()) request["videos"] = std::move(videos);
  if (const auto duration = cli.value("duration")) {
    try {
      std::size_t used = 0;
      const long seconds = std::stol(*duration, &used);
      if (used != duration->size()) throw std::invalid_argument(*duration);
      request["durationSeconds"] = seconds;
    } catch (const std::exception&) {
      throw CliError(kExitUsage, "--duration takes whole seconds, eg 5.");
    }
  }
  if (const auto size = cli.value("size")) request["size"] = *size;
  if (const auto resolution = cli.value("resolution")) request["resolution"] = *resolution;
  if (const auto ratio = cli.value("aspect-ratio")) request["aspectRatio"] = *ratio;
  if (cli.flag("audio")) request["audio"] = true;
  if (cli.flag("no-watermark")) request["watermark"] = false;

  WaitOptions wait;
  if (const auto max_wait = cli.value("max-wait")) wait.max_wait_ms = parse_seconds_ms(*max_wait, "--max-wait");
  wait.poll_interval_ms = poll_interval(session, cli);
  if (const auto out = cli.value("out")) wait.output = fs::absolute(*out);

  const auto provider_id = provider_of(model_ref);
  InterruptToken interrupt;
  const auto target = session.call_target(provider_id, cli.value("base-url"), true);
  CallContextHolder context(target, interrupt.token());
  const VideoCall call{video_capability(context, provider_id), &context, &interrupt};

  JobStore store(session.paths().jobs_dir);
  SubmitInfo info{target.resolution.requested_id, prompt, target.base_url, wait.output};
  const auto output = output_for(cli);
  auto record = submit_video_job(call, store, request, info, output);
  if (cli.flag("no-wait")) {
    if (!output.json) std::cout << record.task_id << '\n';
    return kExitOk;
  }
  wait_and_download(call, store, record, wait, output);
  return kExitOk;
}

int run_status(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"base-url", true}, {"help", false}}, "video status");
  if (cli.flag("help")) {
    std::cout << kStatusHelp;
    return kExitOk;
  }
  const auto task_id = task_id_arg(cli, "status");
  JobStore store(session.paths().jobs_dir);
  const auto record = load_job(store, task_id);

  InterruptToken interrupt;
  const std::string provider_id = record.provider.empty() ? "qwen" : record.provider;
  const auto target = session.call_target(provider_id, base_url_for(cli, record), true);
  CallContextHolder context(target, interrupt.token());
  const VideoCall call{video_capability(context, provider_id), &context, &interrupt};
  const auto live = poll_video_job(call, store, record);
  const auto updated = load_job(store, task_id);

  if (cli.flag("json")) {
    auto out = job_to_json(updated);
    out["live"] = live;
    std::cout << json::serialize(out) << '\n';
    return kExitOk;
  }
  print_record(updated, std::cout);
  const auto* status = live.if_contains("status");
  if (status != nullptr && status->is_string()) {
    const std::string_view value = status->as_string();
    if (value == "PENDING" || value == "RUNNING") {
      std::cerr << "Still " << value << "; run `claw-host video resume " << task_id << "` to wait and download.\n";
    } else if (value == "SUCCEEDED" && updated.output_path.empty()) {
      std::cerr << "Finished; run `claw-host video resume " << task_id << "` to download it.\n";
    } else if (value == "UNKNOWN") {
      std::cerr << "DashScope no longer knows this task (unknown or expired; tasks are kept for 24 hours).\n";
    }
  }
  return kExitOk;
}

int run_resume(HostSession& session, const Args& args) {
  CliArgs cli(args,
              {{"out", true}, {"max-wait", true}, {"json", false}, {"base-url", true}, {"poll-interval-ms", true},
               {"help", false}},
              "video resume");
  if (cli.flag("help")) {
    std::cout << kResumeHelp;
    return kExitOk;
  }
  const auto task_id = task_id_arg(cli, "resume");
  JobStore store(session.paths().jobs_dir);
  const auto record = load_job(store, task_id);
  const auto output = output_for(cli);

  WaitOptions wait;
  if (const auto max_wait = cli.value("max-wait")) wait.max_wait_ms = parse_seconds_ms(*max_wait, "--max-wait");
  wait.poll_interval_ms = poll_interval(session, cli);
  if (const auto out = cli.value("out")) wait.output = fs::absolute(*out);

  std::error_code ec;
  if (!wait.output && record.status == "SUCCEEDED" && !record.output_path.empty() &&
      fs::is_regular_file(record.output_path, ec)) {
    if (output.json) {
      std::cout << json::serialize(json::object{{"event", "completed"},
                                                {"taskId", task_id},
                                                {"status", record.status},
                                                {"outputPath", record.output_path},
                                                {"alreadyDownloaded", true}})
                << '\n';
    } else {
      std::cerr << "Video task " << task_id << " was already downloaded.\n";
      std::cout << record.output_path << '\n';
    }
    return kExitOk;
  }

  InterruptToken interrupt;
  const std::string provider_id = record.provider.empty() ? "qwen" : record.provider;
  const auto target = session.call_target(provider_id, base_url_for(cli, record), true);
  CallContextHolder context(target, interrupt.token());
  const VideoCall call{video_capability(context, provider_id), &context, &interrupt};
  if (!output.json) std::cerr << "Resuming video task " << task_id << " (" << record.model << ").\n";
  wait_and_download(call, store, record, wait, output);
  return kExitOk;
}

int run_list(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"json", false}, {"help", false}}, "video list");
  if (cli.flag("help")) {
    std::cout << kListHelp;
    return kExitOk;
  }
  if (!cli.positionals().empty()) throw CliError(kExitUsage, "`claw-host video list` takes no arguments.");
  JobStore store(session.paths().jobs_dir);
  auto listing = store.list();
  if (!listing) throw CliError(kExitConfig, listing.error().message);
  for (const auto& problem : listing->problems) std::cerr << "warning: " << problem << '\n';
  if (cli.flag("json")) {
    json::array rows;
    for (const auto& record : listing->jobs) rows.push_back(job_to_json(record));
    std::cout << json::serialize(rows) << '\n';
    return kExitOk;
  }
  if (listing->jobs.empty()) {
    std::cout << "No video jobs in " << store.dir().string() << ".\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"TASK ID", "STATUS", "MODEL", "SUBMITTED", "OUTPUT / LAST ERROR"}};
  for (const auto& record : listing->jobs) {
    rows.push_back({record.task_id, record.status, record.model, format_time(record.created_at_ms),
                    !record.output_path.empty() ? record.output_path : record.last_error});
  }
  std::cout << render_table(rows);
  return kExitOk;
}

} // namespace

int run_video(HostSession& session, const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kHelp;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "generate") return run_generate(session, rest);
  if (args[0] == "status") return run_status(session, rest);
  if (args[0] == "resume") return run_resume(session, rest);
  if (args[0] == "list") return run_list(session, rest);
  throw CliError(kExitUsage, "Unknown video command '" + args[0] + "'.", "Run `claw-host video --help`.");
}

} // namespace claw_host
