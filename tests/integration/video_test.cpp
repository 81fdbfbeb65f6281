// Wan video generation end to end: the real plugin through the host's loader
// and through claw-host as a subprocess, against the DashScope emulator over
// loopback (HTTP and HTTPS); plus the region -> AIGC host mapping, tested
// through the functions the plugin uses (the real hosts are unreachable).
#include "test_support.hpp"

#include "claw_host/plugin_host.hpp"
#include "dashscope_emulator/emulator.hpp"
#include "video/video_endpoint.hpp"
#include "video/video_request.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace json = boost::json;
namespace de = dashscope_emulator;
namespace fs = std::filesystem;
namespace video = openclaw::qwen::video;
using namespace std::chrono_literals;
using openclaw_test::run_claw_host;
using openclaw_test::TempDir;

namespace {

const std::string kKey = "sk-video-test-0123456789";
constexpr const char* kSubmitPath = "/api/v1/services/aigc/video-generation/video-synthesis";
constexpr std::size_t kResultSize = 300 * 1024; // past one 256 KiB progress step

std::string str(oc_str text) { return std::string(text.ptr, text.len); }

struct Progress {
  std::string phase;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
};

struct CallOutcome {
  oc_status status = OC_OK;
  oc_error error{};
  std::string output;                 // what the plugin wrote to the result sink
  std::vector<std::uint16_t> events;  // kinds in arrival order
  std::vector<Progress> progress;
  std::string job_event_task;         // OC_EVENT_JOB_SUBMITTED
  std::string job_event_json;
  bool job_event_before_result = false; // the event came before submit wrote its result
  std::string error_text() const { return std::string(error.message) + " | " + error.hint; }
};

int32_t OC_ABI append_sink(void* data, const char* ptr, size_t len) {
  static_cast<CallOutcome*>(data)->output.append(ptr, len);
  return 0;
}

int32_t OC_ABI record_event(void* data, const oc_event_header* header) {
  auto& out = *static_cast<CallOutcome*>(data);
  out.events.push_back(header->type);
  if (header->type == OC_EVENT_JOB_SUBMITTED) {
    const auto* job = reinterpret_cast<const oc_event_job*>(header);
    out.job_event_task = str(job->task_id);
    out.job_event_json = str(job->job_json);
    out.job_event_before_result = out.output.empty();
  } else if (header->type == OC_EVENT_PROGRESS) {
    const auto* progress = reinterpret_cast<const oc_event_progress*>(header);
    out.progress.push_back({str(progress->phase), progress->done, progress->total});
  }
  return 0;
}

struct Token {
  std::atomic<bool> tripped{false};
  oc_cancel_token token{sizeof(oc_cancel_token), this,
                        [](void* self) -> int32_t { return static_cast<Token*>(self)->tripped.load() ? 1 : 0; }};
};

class Harness {
public:
  Harness() {
    openclaw_test::install_plugin(dir_.path());
    const auto found = claw_host::discover_plugins(dir_.path());
    REQUIRE_FALSE(host_.load(found.plugins.at(0)).has_value());
    const auto* p = provider();
    video_ = static_cast<const oc_video_generation_v1*>(p->get_capability(p, OC_CAPABILITY_VIDEO_GENERATION));
    REQUIRE(video_ != nullptr);
  }

  const oc_provider* provider(const char* id = "qwen") const { return host_.find(id)->table; }
  const oc_video_generation_v1* video() const { return video_; }

  // Every call uses this endpoint, key and CA until changed.
  std::string base_url;
  std::string key = kKey;
  std::string ca;
  const oc_cancel_token* cancel = nullptr;

  CallOutcome submit(const json::object& request) {
    CallOutcome out = fresh();
    const auto ctx = context();
    const auto text = json::serialize(request);
    oc_sink sink{&out, append_sink};
    out.status = video_->submit(provider(), &ctx, {text.data(), text.size()}, record_event, &out, &sink, &out.error);
    return out;
  }

  CallOutcome poll(const json::object& job) {
    CallOutcome out = fresh();
    const auto ctx = context();
    const auto text = json::serialize(job);
    oc_sink sink{&out, append_sink};
    out.status = video_->poll(provider(), &ctx, {text.data(), text.size()}, &sink, &out.error);
    return out;
  }

  CallOutcome wait(json::object job, std::uint32_t max_wait_ms = 10'000, std::uint32_t interval_ms = 20) {
    job["pollIntervalMs"] = interval_ms;
    CallOutcome out = fresh();
    const auto ctx = context();
    const auto text = json::serialize(job);
    oc_sink sink{&out, append_sink};
    out.status = video_->wait(provider(), &ctx, {text.data(), text.size()}, max_wait_ms, record_event, &out, &sink,
                              &out.error);
    return out;
  }

  CallOutcome download(const std::string& url) {
    CallOutcome out = fresh();
    const auto ctx = context();
    oc_sink sink{&out, append_sink};
    out.status = video_->download(provider(), &ctx, {url.data(), url.size()}, record_event, &out, &sink, &out.error);
    return out;
  }

private:
  static CallOutcome fresh() {
    CallOutcome out;
    out.error.struct_size = sizeof out.error;
    return out;
  }
  oc_call_context context() const {
    oc_call_context ctx{};
    ctx.struct_size = sizeof ctx;
    ctx.provider_id = {"qwen", 4};
    ctx.base_url = {base_url.data(), base_url.size()};
    ctx.api_key = {key.data(), key.size()};
    ctx.ca_bundle_path = {ca.data(), ca.size()};
    ctx.connect_timeout_ms = 2000;
    ctx.cancel = cancel;
    return ctx;
  }

  TempDir dir_;
  claw_host::PluginHost host_;
  const oc_video_generation_v1* video_ = nullptr;
};

json::object submit_body(const de::Emulator& emulator) {
  const auto requests = emulator.requests(kSubmitPath);
  REQUIRE(requests.size() == 1);
  return json::parse(requests.front().body).as_object();
}

// A JSON string's text (anything else serialised), for comparisons with std::string.
std::string text(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

json::object parsed(const std::string& body) { return json::parse(body).as_object(); }

// ---- claw-host as a subprocess ------------------------------------------------

struct CliState {
  TempDir dir;
  CliState() { openclaw_test::install_plugin(dir.path() / "plugins"); }
  fs::path path() const { return dir.path(); }
  fs::path jobs() const { return dir.path() / "jobs"; }
  json::object job(const std::string& task_id) const {
    return parsed(openclaw_test::read_file(jobs() / (task_id + ".json")));
  }
  std::vector<fs::path> job_files() const {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(jobs(), ec)) {
      if (entry.path().extension() == ".json" && entry.path().filename().string().front() != '.') {
        files.push_back(entry.path());
      }
    }
    return files;
  }
};

std::map<std::string, std::string> cli_env(const de::Emulator& emulator, const std::string& key = kKey) {
  std::map<std::string, std::string> env{{"QWEN_API_KEY", key}, {"OPENCLAW_VIDEO_POLL_MS", "20"}};
  if (emulator.tls()) env["SSL_CERT_FILE"] = emulator.ca_cert_path();
  return env;
}

// The task id of the one job a command created.
std::string only_task_id(const CliState& state) {
  const auto files = state.job_files();
  REQUIRE(files.size() == 1);
  return files.front().stem().string();
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path());
  return out;
}

// claw-host started in the background (fork/exec), in `cwd`, with output
// going to `log`; for tests that kill or interrupt it.
pid_t spawn_claw_host(const fs::path& state_dir, const std::vector<std::string>& args,
                      std::map<std::string, std::string> env, const fs::path& cwd, const fs::path& log) {
  std::vector<std::string> argv{openclaw_test::claw_host_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  env["OPENCLAW_STATE_DIR"] = state_dir.string();
  env["HOME"] = state_dir.string();
  env.emplace("PATH", "/usr/bin:/bin");
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env.emplace(name, value);
  }
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> argp;
  for (auto& arg : argv) argp.push_back(arg.data());
  argp.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  return pid;
}

// Exit code (128+signal when killed), or -1 after `timeout` (then it is killed).
int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

} // namespace

// ---- hosts and limits ---------------------------------------------------------

TEST_CASE("video: the region decides the AIGC host whatever the plan; other base URLs keep their origin", "[video]") {
  const std::string china = "https://dashscope.aliyuncs.com";
  const std::string global = "https://dashscope-intl.aliyuncs.com";
  CHECK(*video::aigc_origin_for("https://dashscope.aliyuncs.com/compatible-mode/v1") == china);
  CHECK(*video::aigc_origin_for("https://coding.dashscope.aliyuncs.com/v1") == china);
  CHECK(*video::aigc_origin_for("https://dashscope-intl.aliyuncs.com/compatible-mode/v1") == global);
  CHECK(*video::aigc_origin_for("https://coding-intl.dashscope.aliyuncs.com/v1") == global);
  CHECK(*video::aigc_origin_for("https://CODING-INTL.dashscope.aliyuncs.com./v1") == global);
  CHECK(*video::aigc_origin_for("http://127.0.0.1:8089/compatible-mode/v1") == "http://127.0.0.1:8089");
  CHECK(*video::aigc_origin_for("https://gateway.example.com:8443/qwen/v1") == "https://gateway.example.com:8443");
  CHECK(video::aigc_origin_for("not a url").error().code == OC_ERR_INVALID_ARGUMENT);

  CHECK(video::submit_url(*video::aigc_origin_for("https://coding.dashscope.aliyuncs.com/v1")) ==
        "https://dashscope.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis");
  CHECK(video::task_url(global, "abc-123") == "https://dashscope-intl.aliyuncs.com/api/v1/tasks/abc-123");
}

TEST_CASE("video: a refused Coding Plan configuration names the Standard auth choice of its region", "[video]") {
  openclaw::qwen::PluginError refused;
  refused.code = OC_ERR_AUTH;
  refused.message = "authentication failed (HTTP 401): Invalid API-key provided.";

  const auto china = video::explain_auth_failure(refused, "https://coding.dashscope.aliyuncs.com/v1", "sk-sp-abc");
  CHECK_THAT(china.message, Catch::Contains("Standard (pay-as-you-go)") && Catch::Contains("China region") &&
                                Catch::Contains("Invalid API-key provided."));
  CHECK_THAT(china.hint, Catch::Contains("--auth-choice qwen-standard-api-key-cn"));
  CHECK_THAT(china.message + china.hint, !Catch::Contains("sk-sp-abc"));

  const auto global = video::explain_auth_failure(refused, "https://coding-intl.dashscope.aliyuncs.com/v1", "sk-x");
  CHECK_THAT(global.message, Catch::Contains("Global region"));
  CHECK_THAT(global.hint, Catch::Contains("--auth-choice qwen-standard-api-key`"));

  // A Standard configuration's auth failure, and other errors, stay as they are.
  const auto standard = video::explain_auth_failure(refused, "https://dashscope.aliyuncs.com/compatible-mode/v1", "sk-x");
  CHECK(standard.message == refused.message);
  auto other = refused;
  other.code = OC_ERR_UPSTREAM;
  CHECK(video::explain_auth_failure(other, "https://coding.dashscope.aliyuncs.com/v1", "sk-sp-abc").message ==
        refused.message);
}

TEST_CASE("video: describe advertises the models, limits and poll timing", "[video]") {
  Harness harness;
  std::string out;
  oc_sink sink{&out, [](void* data, const char* ptr, size_t len) -> int32_t {
                 static_cast<std::string*>(data)->append(ptr, len);
                 return 0;
               }};
  oc_error error{};
  error.struct_size = sizeof error;
  REQUIRE(harness.video()->describe(harness.provider(), &sink, &error) == OC_OK);
  const auto doc = parsed(out);
  CHECK(doc.at("defaultModel") == "wan2.6-t2v");
  CHECK(doc.at("models") == json::array{"wan2.6-t2v", "wan2.6-i2v", "wan2.6-r2v", "wan2.6-r2v-flash", "wan2.7-r2v"});
  CHECK(doc.at("limits") == json::object{{"maxVideos", 1}, {"maxInputImages", 1}, {"maxInputVideos", 4},
                                          {"maxDurationSeconds", 10}});
  CHECK(doc.at("options") == json::array{"size", "aspectRatio", "resolution", "audio", "watermark"});
  CHECK(doc.at("pollIntervalMs") == 2500);
  CHECK(doc.at("defaultMaxWaitMs") == 300000);
}

TEST_CASE("video: every limit is checked before any request, each naming the limit", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  const json::array five_videos{"https://e.com/1.mp4", "https://e.com/2.mp4", "https://e.com/3.mp4",
                                "https://e.com/4.mp4", "https://e.com/5.mp4"};
  struct Case {
    json::object request;
    oc_status status;
    std::string says;
  };
  const std::vector<Case> cases{
      {{{"prompt", "p"}, {"count", 2}}, OC_ERR_INVALID_ARGUMENT, "at most 1 output video"},
      {{{"prompt", "p"}, {"images", json::array{"https://e.com/a.png", "https://e.com/b.png"}}},
       OC_ERR_INVALID_ARGUMENT, "at most 1 input image"},
      {{{"prompt", "p"}, {"videos", five_videos}}, OC_ERR_INVALID_ARGUMENT, "at most 4 input videos"},
      {{{"prompt", "p"}, {"durationSeconds", 11}}, OC_ERR_INVALID_ARGUMENT, "at most 10 s"},
      {{{"prompt", "p"}, {"durationSeconds", 0}}, OC_ERR_INVALID_ARGUMENT, "at least 1"},
      {{{"prompt", "p"}, {"images", json::array{"/home/me/cat.png"}}}, OC_ERR_INVALID_ARGUMENT,
       "not a remote http(s) URL"},
      {{{"prompt", "p"}, {"videos", json::array{"file:///tmp/clip.mp4"}}}, OC_ERR_INVALID_ARGUMENT,
       "not a remote http(s) URL"},
      {{{"prompt", "p"}, {"videos", json::array{"./clip.mp4"}}, {"model", "wan2.6-r2v"}}, OC_ERR_INVALID_ARGUMENT,
       "local files cannot be used"},
      {{{"prompt", "p"}, {"model", "wan9-t2v"}}, OC_ERR_NOT_FOUND, "Unknown video model"},
      {{{"prompt", "p"}, {"resolution", "4K"}}, OC_ERR_INVALID_ARGUMENT, "480P, 720P or 1080P"},
      {{{"prompt", "p"}, {"size", "big"}}, OC_ERR_INVALID_ARGUMENT, "WIDTH*HEIGHT"},
      {{{"prompt", "p"}, {"aspectRatio", "wide"}}, OC_ERR_INVALID_ARGUMENT, "16:9"},
      {{{"prompt", "p"}, {"audio", "yes"}}, OC_ERR_INVALID_ARGUMENT, "true or false"},
      {{{"prompt", "p"}, {"model", "wan2.6-t2v"}, {"images", json::array{"https://e.com/a.png"}}},
       OC_ERR_INVALID_ARGUMENT, "text-to-video"},
      {{{"prompt", "p"}, {"model", "wan2.6-i2v"}}, OC_ERR_INVALID_ARGUMENT, "exactly 1 input image"},
      {{{"prompt", "p"}, {"model", "wan2.7-r2v"}}, OC_ERR_INVALID_ARGUMENT, "at least one reference"},
      {{{"prompt", ""}}, OC_ERR_INVALID_ARGUMENT, "no prompt"},
  };
  for (const auto& c : cases) {
    INFO(json::serialize(c.request));
    const auto out = harness.submit(c.request);
    CHECK(out.status == c.status);
    CHECK_THAT(out.error_text(), Catch::Contains(c.says));
    CHECK(std::string(out.error.hint) != "");
    CHECK(out.events.empty());
  }
  CHECK(emulator.requests().empty());
}

// ---- submit ----------------------------------------------------------------------

TEST_CASE("video: submit sends the async header and the documented body; defaults fill in", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  const auto out = harness.submit({{"prompt", "a red fox in the snow"}});
  REQUIRE(out.status == OC_OK);

  const auto requests = emulator.requests(kSubmitPath);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].header("X-DashScope-Async") == "enable");
  CHECK(requests[0].header("Authorization") == "Bearer " + kKey);
  const auto body = parsed(requests[0].body);
  CHECK(body.at("model") == "wan2.6-t2v");
  CHECK(body.at("input") == json::object{{"prompt", "a red fox in the snow"}});
  CHECK(body.at("parameters") == json::object{{"duration", 5}});

  // The job handle: the id, at once as an event, then as the result.
  const auto job = parsed(out.output);
  CHECK_FALSE(job.at("taskId").as_string().empty());
  CHECK(job.at("model") == "wan2.6-t2v");
  CHECK(text(job.at("aigcOrigin")) == emulator.origin());
  CHECK(job.at("submittedAt").as_int64() > 1'600'000'000'000);
  CHECK(out.job_event_task == job.at("taskId").as_string());
  CHECK(parsed(out.job_event_json) == job);
  CHECK(out.job_event_before_result);
}

TEST_CASE("video: one image and no video is img_url; anything else is reference_urls", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();

  SECTION("one image picks wan2.6-i2v and img_url") {
    REQUIRE(harness.submit({{"prompt", "p"}, {"images", json::array{"https://e.com/a.png"}}}).status == OC_OK);
    const auto body = submit_body(emulator);
    CHECK(body.at("model") == "wan2.6-i2v");
    CHECK(body.at("input") == json::object{{"prompt", "p"}, {"img_url", "https://e.com/a.png"}});
  }
  SECTION("an image and videos are reference_urls, images first") {
    REQUIRE(harness
                .submit({{"prompt", "p"},
                         {"model", "qwen/wan2.7-r2v"},
                         {"images", json::array{json::object{{"url", "https://e.com/a.png"}}}},
                         {"videos", json::array{"https://e.com/1.mp4", "https://e.com/2.mp4"}}})
                .status == OC_OK);
    const auto body = submit_body(emulator);
    CHECK(body.at("model") == "wan2.7-r2v");
    CHECK(body.at("input") ==
          json::object{{"prompt", "p"},
                       {"reference_urls", json::array{"https://e.com/a.png", "https://e.com/1.mp4", "https://e.com/2.mp4"}}});
  }
  SECTION("videos alone pick wan2.6-r2v") {
    REQUIRE(harness.submit({{"prompt", "p"}, {"videos", json::array{"https://e.com/1.mp4"}}}).status == OC_OK);
    const auto body = submit_body(emulator);
    CHECK(body.at("model") == "wan2.6-r2v");
    CHECK(body.at("input").at("reference_urls") == json::array{"https://e.com/1.mp4"});
    CHECK_FALSE(body.at("input").as_object().contains("img_url"));
  }
  SECTION("resolution maps to size; options map to parameters") {
    REQUIRE(harness
                .submit({{"prompt", "p"}, {"resolution", "1080p"}, {"aspectRatio", "16:9"}, {"durationSeconds", 10},
                         {"audio", true}, {"watermark", false}, {"count", 1}})
                .status == OC_OK);
    CHECK(submit_body(emulator).at("parameters") == json::object{{"size", "1920*1080"}, {"aspect_ratio", "16:9"},
                                                                 {"duration", 10}, {"audio", true},
                                                                 {"watermark", false}});
  }
  SECTION("480P and 720P, and an explicit size wins over a resolution") {
    REQUIRE(harness.submit({{"prompt", "p"}, {"resolution", "480P"}}).status == OC_OK);
    REQUIRE(harness.submit({{"prompt", "p"}, {"resolution", "720P"}}).status == OC_OK);
    REQUIRE(harness.submit({{"prompt", "p"}, {"resolution", "720P"}, {"size", "960x960"}}).status == OC_OK);
    const auto requests = emulator.requests(kSubmitPath);
    REQUIRE(requests.size() == 3);
    CHECK(parsed(requests[0].body).at("parameters").at("size") == "832*480");
    CHECK(parsed(requests[1].body).at("parameters").at("size") == "1280*720");
    CHECK(parsed(requests[2].body).at("parameters").at("size") == "960*960");
  }
}

TEST_CASE("video: a Coding Plan key refused by the video host says a Standard key is needed", "[video][secrets]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.coding_base_url();
  harness.key = "sk-sp-codingplan-0123456789";
  const auto out = harness.submit({{"prompt", "p"}});
  CHECK(out.status == OC_ERR_AUTH);
  CHECK_THAT(std::string(out.error.message),
             Catch::Contains("needs a Standard (pay-as-you-go) DashScope API key") && Catch::Contains("Coding Plan key"));
  CHECK_THAT(std::string(out.error.hint), Catch::Contains("qwen-standard-api-key"));
  CHECK_THAT(out.error_text(), !Catch::Contains(harness.key));
  CHECK(out.events.empty());
}

TEST_CASE("video: a submit the server may have seen is never sent twice", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  emulator.push_video({.submit_error = de::NativeError{503, "ServiceUnavailable", "Service is busy.", -1}});
  const auto out = harness.submit({{"prompt", "p"}});
  CHECK(out.status == OC_ERR_UPSTREAM);
  CHECK_THAT(std::string(out.error.message), Catch::Contains("Service is busy."));
  CHECK(emulator.requests(kSubmitPath).size() == 1);
  CHECK(out.events.empty());
}

// ---- poll and wait ------------------------------------------------------------------

TEST_CASE("video: wait reports PENDING and RUNNING progress, then the result URLs", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();

  SECTION("output.video_url") {
    emulator.push_video({.pending_polls = 2, .running_polls = 2});
  }
  SECTION("output.results[].video_url") {
    emulator.push_video({.pending_polls = 2, .running_polls = 2, .results_array = true});
  }
  const auto submitted = harness.submit({{"prompt", "p"}});
  REQUIRE(submitted.status == OC_OK);
  const auto job = parsed(submitted.output);
  const std::string task_id(job.at("taskId").as_string());

  const auto waited = harness.wait(job);
  REQUIRE(waited.status == OC_OK);
  std::vector<std::string> phases;
  for (const auto& p : waited.progress) phases.push_back(p.phase);
  CHECK(phases == std::vector<std::string>{"PENDING", "PENDING", "RUNNING", "RUNNING"});
  const auto result = parsed(waited.output);
  CHECK(text(result.at("taskId")) == task_id);
  CHECK(result.at("status") == "SUCCEEDED");
  REQUIRE(result.at("videoUrls").as_array().size() == 1);
  CHECK_THAT(std::string(result.at("videoUrls").at(0).as_string()),
             Catch::StartsWith(emulator.origin() + "/results/" + task_id + ".mp4?Expires="));
  CHECK(emulator.task_polls(task_id) == 5);
  for (const auto& request : emulator.requests("/api/v1/tasks/" + task_id)) {
    CHECK(request.method == "GET");
    CHECK(request.header("Authorization") == "Bearer " + kKey);
  }
}

TEST_CASE("video: FAILED, CANCELED and UNKNOWN end the wait with what upstream said", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();

  SECTION("FAILED keeps the upstream code and message") {
    emulator.push_video({.outcome = de::VideoOutcome::Failed,
                         .failure_code = "DataInspectionFailed",
                         .failure_message = "Input data may contain inappropriate content."});
    const auto job = parsed(harness.submit({{"prompt", "p"}}).output);
    const auto waited = harness.wait(job);
    CHECK(waited.status == OC_ERR_UPSTREAM);
    CHECK_THAT(std::string(waited.error.message),
               Catch::Contains("failed upstream") && Catch::Contains("Input data may contain inappropriate content.") &&
                   Catch::Contains("DataInspectionFailed"));
    const auto polled = harness.poll(job);
    REQUIRE(polled.status == OC_OK);
    CHECK(parsed(polled.output).at("status") == "FAILED");
    CHECK(parsed(polled.output).at("code") == "DataInspectionFailed");
  }
  SECTION("CANCELED") {
    emulator.push_video({.outcome = de::VideoOutcome::Canceled});
    const auto waited = harness.wait(parsed(harness.submit({{"prompt", "p"}}).output));
    CHECK(waited.status == OC_ERR_UPSTREAM);
    CHECK_THAT(std::string(waited.error.message), Catch::Contains("canceled upstream"));
  }
  SECTION("UNKNOWN: a task DashScope forgot") {
    emulator.push_video({.outcome = de::VideoOutcome::Unknown});
    const auto waited = harness.wait(parsed(harness.submit({{"prompt", "p"}}).output));
    CHECK(waited.status == OC_ERR_NOT_FOUND);
    CHECK_THAT(std::string(waited.error.message), Catch::Contains("unknown or expired"));
  }
  SECTION("UNKNOWN: an id it never issued") {
    const json::object job{{"taskId", "no-such-task"}, {"model", "wan2.6-t2v"}, {"aigcOrigin", emulator.origin()}};
    const auto polled = harness.poll(job);
    REQUIRE(polled.status == OC_OK);
    CHECK(parsed(polled.output).at("status") == "UNKNOWN");
    CHECK(harness.wait(job).status == OC_ERR_NOT_FOUND);
  }
}

TEST_CASE("video: a bad job handle is refused before any request", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  CHECK(harness.poll({{"taskId", "../../etc"}, {"aigcOrigin", emulator.origin()}}).status == OC_ERR_INVALID_ARGUMENT);
  CHECK(harness.poll({{"model", "wan2.6-t2v"}}).status == OC_ERR_INVALID_ARGUMENT);
  CHECK(harness.poll({{"taskId", "abc"}, {"aigcOrigin", "https://example.com/path"}}).status ==
        OC_ERR_INVALID_ARGUMENT);
  CHECK(emulator.requests().empty());
}

TEST_CASE("video: a bounded wait ends with OC_INCOMPLETE while the job keeps running", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .min_duration = 30s});
  const auto job = parsed(harness.submit({{"prompt", "p"}}).output);
  const auto started = std::chrono::steady_clock::now();
  const auto waited = harness.wait(job, 300, 50);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(waited.status == OC_INCOMPLETE);
  CHECK(parsed(waited.output).at("status") == "RUNNING");
  CHECK(took >= 300ms);
  CHECK(took < 3s);
}

TEST_CASE("video: cancelling stops the wait promptly and the job stays resumable", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .min_duration = 30s});
  const auto job = parsed(harness.submit({{"prompt", "p"}}).output);

  Token token;
  harness.cancel = &token.token;
  std::thread tripper([&] {
    std::this_thread::sleep_for(200ms);
    token.tripped = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const auto waited = harness.wait(job, 60'000, 5'000); // asleep between polls when cancelled
  const auto took = std::chrono::steady_clock::now() - started;
  tripper.join();
  CHECK(waited.status == OC_ERR_CANCELLED);
  CHECK_THAT(std::string(waited.error.message), Catch::Contains("keeps running upstream"));
  CHECK(took < 1s);

  harness.cancel = nullptr;
  const auto polled = harness.poll(job);
  REQUIRE(polled.status == OC_OK);
  CHECK(parsed(polled.output).at("status") == "RUNNING");
}

// ---- download ------------------------------------------------------------------------

TEST_CASE("video: download streams the exact bytes with progress and without the API key", "[video]") {
  Harness harness;
  de::Emulator emulator({.tls = true});
  harness.base_url = emulator.compatible_base_url();
  harness.ca = emulator.ca_cert_path();
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_size = kResultSize});
  const auto job = parsed(harness.submit({{"prompt", "p"}}).output);
  const std::string task_id(job.at("taskId").as_string());
  const auto waited = harness.wait(job);
  REQUIRE(waited.status == OC_OK);
  const std::string url(parsed(waited.output).at("videoUrls").at(0).as_string());

  const auto downloaded = harness.download(url);
  REQUIRE(downloaded.status == OC_OK);
  CHECK(downloaded.output == de::result_bytes(task_id + ".mp4", kResultSize));
  REQUIRE(downloaded.progress.size() >= 2);
  CHECK(downloaded.progress.front().phase == "downloading");
  CHECK(downloaded.progress.back().done == kResultSize);
  CHECK(downloaded.progress.back().total == kResultSize);
  const auto fetches = emulator.requests("/results/" + task_id + ".mp4");
  REQUIRE(fetches.size() == 1);
  CHECK_FALSE(fetches[0].has_header("Authorization"));
  CHECK_THAT(fetches[0].query, Catch::Contains("Signature="));
}

TEST_CASE("video: an expired or missing result link is a clear error; a cut download fails", "[video]") {
  Harness harness;
  de::Emulator emulator;
  harness.base_url = emulator.compatible_base_url();

  SECTION("expired (403 AccessDenied)") {
    emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_expired = true});
    const auto waited = harness.wait(parsed(harness.submit({{"prompt", "p"}}).output));
    REQUIRE(waited.status == OC_OK);
    const auto out = harness.download(std::string(parsed(waited.output).at("videoUrls").at(0).as_string()));
    CHECK(out.status == OC_ERR_NOT_FOUND);
    CHECK_THAT(std::string(out.error.message),
               Catch::Contains("expired") && Catch::Contains("403 AccessDenied: Request has expired."));
    CHECK_THAT(std::string(out.error.hint), Catch::Contains("24 hours"));
    CHECK(out.output.empty());
  }
  SECTION("missing (404 NoSuchKey)") {
    const auto out = harness.download(emulator.origin() + "/results/gone.mp4?Expires=1");
    CHECK(out.status == OC_ERR_NOT_FOUND);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("404 NoSuchKey"));
  }
  SECTION("reset mid-body") {
    emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_size = kResultSize,
                         .reset_download_after = 100'000});
    const auto waited = harness.wait(parsed(harness.submit({{"prompt", "p"}}).output));
    REQUIRE(waited.status == OC_OK);
    const auto out = harness.download(std::string(parsed(waited.output).at("videoUrls").at(0).as_string()));
    CHECK(out.status != OC_OK);
    CHECK(out.output.size() < kResultSize);
  }
}

// ---- claw-host ---------------------------------------------------------------------------

TEST_CASE("video: claw-host generates over HTTPS, saving the job first and the video atomically", "[video][cli][tls]") {
  CliState state;
  de::Emulator emulator({.tls = true});
  emulator.push_video({.pending_polls = 2, .running_polls = 2, .result_size = kResultSize});
  TempDir out_dir;
  const auto out_file = out_dir.path() / "fox.mp4";
  const auto run = run_claw_host(
      state.path(),
      {"video", "generate", "--base-url", emulator.compatible_base_url(), "--out", out_file.string(), "a fox"},
      cli_env(emulator));
  REQUIRE(run.exit_code == 0);
  const auto task_id = only_task_id(state);
  CHECK_THAT(run.err, Catch::Contains("Submitted video task " + task_id) &&
                          Catch::Contains("claw-host video resume " + task_id));
  CHECK(run.out == out_file.string() + "\n");
  CHECK(openclaw_test::read_file(out_file) == de::result_bytes(task_id + ".mp4", kResultSize));
  CHECK(files_in(out_dir.path()).size() == 1); // no temp file left behind
  CHECK_THAT(run.out + run.err, !Catch::Contains(kKey));

  const auto job = state.job(task_id);
  CHECK(text(job.at("taskId")) == task_id);
  CHECK(job.at("provider") == "qwen");
  CHECK(job.at("model") == "wan2.6-t2v");
  CHECK(job.at("prompt") == "a fox");
  CHECK(text(job.at("endpoint")) == emulator.origin());
  CHECK(job.at("createdAt").as_int64() > 0);
  CHECK(job.at("status") == "SUCCEEDED");
  CHECK(job.at("resultUrls").as_array().size() == 1);
  CHECK(text(job.at("outputPath")) == out_file.string());
  CHECK(job.at("lastError") == "");
  CHECK(emulator.requests(kSubmitPath).at(0).header("X-DashScope-Async") == "enable");
}

TEST_CASE("video: claw-host maps its options, --no-wait prints the id, status and list read the store",
          "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  const auto env = cli_env(emulator);
  const auto submitted = run_claw_host(
      state.path(),
      {"video", "generate", "--no-wait", "--json", "--base-url", emulator.compatible_base_url(), "--model",
       "wan2.6-r2v-flash", "--image", "https://e.com/a.png", "--video", "https://e.com/1.mp4", "--video",
       "https://e.com/2.mp4", "--resolution", "1080P", "--aspect-ratio", "16:9", "--duration", "8", "--audio",
       "--no-watermark", "two cats dancing"},
      env);
  REQUIRE(submitted.exit_code == 0);
  const auto line = parsed(submitted.out);
  CHECK(line.at("event") == "submitted");
  const std::string task_id(line.at("taskId").as_string());
  CHECK(only_task_id(state) == task_id);
  CHECK(state.job(task_id).at("status") == "submitted");
  CHECK(emulator.task_polls(task_id) == 0);

  const auto body = submit_body(emulator);
  CHECK(body.at("model") == "wan2.6-r2v-flash");
  CHECK(body.at("input") == json::object{{"prompt", "two cats dancing"},
                                         {"reference_urls", json::array{"https://e.com/a.png", "https://e.com/1.mp4",
                                                                        "https://e.com/2.mp4"}}});
  CHECK(body.at("parameters") == json::object{{"size", "1920*1080"}, {"aspect_ratio", "16:9"}, {"duration", 8},
                                              {"audio", true}, {"watermark", false}});

  const auto status = run_claw_host(state.path(), {"video", "status", task_id, "--json"}, env);
  REQUIRE(status.exit_code == 0);
  const auto status_doc = parsed(status.out);
  CHECK(status_doc.at("live").at("status") == "PENDING");
  CHECK(state.job(task_id).at("status") == "PENDING");
  CHECK(emulator.task_polls(task_id) == 1);

  const auto list = run_claw_host(state.path(), {"video", "list", "--json"}, env);
  REQUIRE(list.exit_code == 0);
  const auto rows = json::parse(list.out).as_array();
  REQUIRE(rows.size() == 1);
  CHECK(text(rows[0].at("taskId")) == task_id);
  CHECK(rows[0].at("model") == "wan2.6-r2v-flash");
  const auto table = run_claw_host(state.path(), {"video", "list"}, env);
  CHECK_THAT(table.out, Catch::Contains(task_id) && Catch::Contains("PENDING"));

  TempDir out_dir;
  const auto resumed = run_claw_host(
      state.path(), {"video", "resume", task_id, "--out", (out_dir.path() / "cats.mp4").string()}, env);
  REQUIRE(resumed.exit_code == 0);
  CHECK(state.job(task_id).at("status") == "SUCCEEDED");
  CHECK(openclaw_test::read_file(out_dir.path() / "cats.mp4") ==
        de::result_bytes(task_id + ".mp4", 1024 * 1024));
  const auto again = run_claw_host(state.path(), {"video", "resume", task_id}, env);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains("already downloaded"));
  CHECK(emulator.requests(kSubmitPath).size() == 1);
}

TEST_CASE("video: claw-host refuses limits and local files before any request", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  const auto env = cli_env(emulator);
  const auto base = emulator.compatible_base_url();
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases{
      {{"--duration", "11"}, "at most 10 s"},
      {{"--image", "https://e.com/a.png", "--image", "https://e.com/b.png"}, "at most 1 input image"},
      {{"--video", "https://e.com/1.mp4", "--video", "https://e.com/2.mp4", "--video", "https://e.com/3.mp4", "--video",
        "https://e.com/4.mp4", "--video", "https://e.com/5.mp4"},
       "at most 4 input videos"},
      {{"--image", "cat.png"}, "local files cannot be used"},
      {{"--resolution", "2K"}, "480P, 720P or 1080P"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"video", "generate", "--base-url", base};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.push_back("prompt");
    const auto run = run_claw_host(state.path(), args, env);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains(c.says));
  }
  CHECK(emulator.requests().empty());
  CHECK(state.job_files().empty());
}

TEST_CASE("video: claw-host names the Standard auth choice when a Coding Plan key is refused", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  const std::string coding_key = "sk-sp-cli-0123456789";
  const auto run = run_claw_host(state.path(), {"video", "generate", "--base-url", emulator.coding_base_url(), "p"},
                                 cli_env(emulator, coding_key));
  CHECK(run.exit_code == 4);
  CHECK_THAT(run.err, Catch::Contains("Standard (pay-as-you-go)") && Catch::Contains("qwen-standard-api-key"));
  CHECK_THAT(run.out + run.err, !Catch::Contains(coding_key));
  CHECK(state.job_files().empty());
}

TEST_CASE("video: a FAILED or UNKNOWN job is a clear error and its record stays, with status and last error",
          "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  const auto env = cli_env(emulator);
  TempDir out_dir;
  const auto out_file = out_dir.path() / "x.mp4";

  SECTION("FAILED") {
    emulator.push_video({.outcome = de::VideoOutcome::Failed, .failure_code = "InternalError.Algo",
                         .failure_message = "Algorithm process error."});
    const auto run = run_claw_host(
        state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "--out", out_file.string(), "p"},
        env);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("Algorithm process error.") && Catch::Contains("InternalError.Algo"));
    const auto job = state.job(only_task_id(state));
    CHECK(job.at("status") == "FAILED");
    CHECK_THAT(std::string(job.at("lastError").as_string()), Catch::Contains("Algorithm process error."));
  }
  SECTION("UNKNOWN, then resume says the same and keeps the record") {
    emulator.push_video({.outcome = de::VideoOutcome::Unknown});
    const auto run = run_claw_host(
        state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "--out", out_file.string(), "p"},
        env);
    CHECK(run.exit_code == 7);
    CHECK_THAT(run.err, Catch::Contains("unknown or expired"));
    const auto task_id = only_task_id(state);
    CHECK(state.job(task_id).at("status") == "UNKNOWN");
    const auto resumed = run_claw_host(state.path(), {"video", "resume", task_id}, env);
    CHECK(resumed.exit_code == 7);
    CHECK_THAT(resumed.err, Catch::Contains("unknown or expired"));
    const auto job = state.job(task_id);
    CHECK(job.at("status") == "UNKNOWN");
    CHECK(job.at("prompt") == "p");
    CHECK_THAT(std::string(job.at("lastError").as_string()), Catch::Contains("unknown or expired"));
  }
  CHECK_FALSE(fs::exists(out_file));
  CHECK(files_in(out_dir.path()).empty());
}

TEST_CASE("video: an expired result link leaves no file and a record that says why", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_expired = true});
  TempDir out_dir;
  const auto out_file = out_dir.path() / "x.mp4";
  const auto run = run_claw_host(
      state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "--out", out_file.string(), "p"},
      cli_env(emulator));
  CHECK(run.exit_code == 7);
  CHECK_THAT(run.err, Catch::Contains("expired") && Catch::Contains("AccessDenied"));
  CHECK(files_in(out_dir.path()).empty());
  const auto job = state.job(only_task_id(state));
  CHECK(job.at("status") == "SUCCEEDED");
  CHECK(job.at("resultUrls").as_array().size() == 1);
  CHECK(job.at("outputPath") == "");
  CHECK_THAT(std::string(job.at("lastError").as_string()), Catch::Contains("expired"));
}

TEST_CASE("video: a download cut mid-way leaves no half-written file", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_size = kResultSize,
                       .reset_download_after = 100'000});
  TempDir out_dir;
  const auto run = run_claw_host(state.path(),
                                 {"video", "generate", "--base-url", emulator.compatible_base_url(), "--out",
                                  (out_dir.path() / "x.mp4").string(), "p"},
                                 cli_env(emulator));
  CHECK(run.exit_code == 6);
  CHECK(files_in(out_dir.path()).empty());
  CHECK_THAT(std::string(state.job(only_task_id(state)).at("lastError").as_string()), Catch::Contains("failed"));
}

TEST_CASE("video: the default output file is ./<task id>.mp4", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  emulator.push_video({.pending_polls = 0, .running_polls = 1, .result_size = 4096});
  TempDir cwd;
  const auto log = state.path() / "run.log";
  const pid_t pid = spawn_claw_host(state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "p"},
                                    cli_env(emulator), cwd.path(), log);
  REQUIRE(wait_exit(pid, 30s) == 0);
  const auto task_id = only_task_id(state);
  CHECK(openclaw_test::read_file(cwd.path() / (task_id + ".mp4")) == de::result_bytes(task_id + ".mp4", 4096));
  CHECK(text(state.job(task_id).at("outputPath")) == (fs::canonical(cwd.path()) / (task_id + ".mp4")).string());
}

TEST_CASE("video: claw-host killed mid-poll loses nothing; resume finishes the same task", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  emulator.push_video({.pending_polls = 1, .running_polls = 1, .min_duration = 1500ms, .result_size = kResultSize});
  TempDir cwd;
  const auto env = cli_env(emulator);
  const pid_t pid = spawn_claw_host(state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "p"},
                                    env, cwd.path(), state.path() / "killed.log");
  // The job file exists as soon as the submit returns; let a few polls happen.
  REQUIRE(eventually([&] { return !state.job_files().empty(); }));
  const auto task_id = only_task_id(state);
  REQUIRE(eventually([&] { return emulator.task_polls(task_id) >= 2; }));
  REQUIRE(::kill(pid, SIGKILL) == 0);
  CHECK(wait_exit(pid, 5s) == 128 + SIGKILL);
  const int polls_before = emulator.task_polls(task_id);
  CHECK_FALSE(fs::exists(cwd.path() / (task_id + ".mp4")));
  const auto record = state.job(task_id);
  CHECK(record.at("prompt") == "p");
  CHECK(text(record.at("endpoint")) == emulator.origin());

  const auto resumed = run_claw_host(state.path(), {"video", "resume", task_id, "--out", (cwd.path() / "v.mp4").string()}, env);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(emulator.requests(kSubmitPath).size() == 1); // the same task, never submitted again
  CHECK(emulator.task_polls(task_id) > polls_before);
  CHECK(openclaw_test::read_file(cwd.path() / "v.mp4") == de::result_bytes(task_id + ".mp4", kResultSize));
  CHECK(state.job(task_id).at("status") == "SUCCEEDED");
  CHECK(text(state.job(task_id).at("outputPath")) == (cwd.path() / "v.mp4").string());
}

TEST_CASE("video: Ctrl-C stops waiting promptly and says how to resume", "[video][cli]") {
  CliState state;
  de::Emulator emulator;
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .min_duration = 60s});
  TempDir cwd;
  auto env = cli_env(emulator);
  env["OPENCLAW_VIDEO_POLL_MS"] = "5000"; // asleep between polls when interrupted
  const auto log = state.path() / "interrupted.log";
  const pid_t pid = spawn_claw_host(state.path(), {"video", "generate", "--base-url", emulator.compatible_base_url(), "p"},
                                    env, cwd.path(), log);
  REQUIRE(eventually([&] { return !state.job_files().empty(); }));
  const auto task_id = only_task_id(state);
  REQUIRE(eventually([&] { return emulator.task_polls(task_id) >= 1; }));
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(::kill(pid, SIGINT) == 0);
  CHECK(wait_exit(pid, 5s) == 130);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK_THAT(openclaw_test::read_file(log), Catch::Contains("claw-host video resume " + task_id));
  CHECK(state.job(task_id).at("status") == "RUNNING");
}
