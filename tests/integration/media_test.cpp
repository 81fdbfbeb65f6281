// Media understanding end to end: the real plugin through the host's loader
// and through claw-host, against the DashScope emulator over loopback (HTTP
// and HTTPS). The emulator echoes how many image and video parts arrived.
#include "test_support.hpp"

#include "claw_host/plugin_host.hpp"
#include "dashscope_emulator/emulator.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace json = boost::json;
namespace de = dashscope_emulator;
namespace fs = std::filesystem;
using openclaw_test::run_claw_host;
using openclaw_test::TempDir;

namespace {

const std::string kKey = "sk-media-test-0123456789";
constexpr const char* kCompletions = "/compatible-mode/v1/chat/completions";

struct Described {
  oc_status status = OC_OK;
  oc_error error{};
  std::string text;
  bool done = false;
};

class Harness {
public:
  Harness() {
    openclaw_test::install_plugin(dir_.path());
    const auto found = claw_host::discover_plugins(dir_.path());
    REQUIRE_FALSE(host_.load(found.plugins.at(0)).has_value());
  }

  const oc_provider* provider(const char* id = "qwen") const { return host_.find(id)->table; }

  const oc_media_understanding_v1* media(const char* id = "qwen") const {
    const auto* p = provider(id);
    return static_cast<const oc_media_understanding_v1*>(p->get_capability(p, OC_CAPABILITY_MEDIA_UNDERSTANDING));
  }

  oc_call_context context(const std::string& base_url, const std::string& ca = {}) {
    base_url_ = base_url;
    ca_ = ca;
    oc_call_context ctx{};
    ctx.struct_size = sizeof ctx;
    ctx.provider_id = {"qwen", 4};
    ctx.base_url = {base_url_.data(), base_url_.size()};
    ctx.api_key = {kKey.data(), kKey.size()};
    ctx.ca_bundle_path = {ca_.data(), ca_.size()};
    ctx.connect_timeout_ms = 2000;
    return ctx;
  }

  json::object availability(const std::string& base_url, oc_status* status = nullptr) {
    const auto ctx = context(base_url);
    std::string out;
    oc_sink sink{&out, [](void* data, const char* ptr, size_t len) -> int32_t {
                   static_cast<std::string*>(data)->append(ptr, len);
                   return 0;
                 }};
    oc_error error{};
    error.struct_size = sizeof error;
    const oc_status result = media()->availability(provider(), &ctx, &sink, &error);
    if (status != nullptr) *status = result;
    REQUIRE(result == OC_OK);
    return json::parse(out).as_object();
  }

  Described describe(const std::string& base_url, const json::object& request, const std::string& ca = {}) {
    const auto ctx = context(base_url, ca);
    Described out;
    out.error.struct_size = sizeof out.error;
    const auto text = json::serialize(request);
    out.status = media()->describe(provider(), &ctx, {text.data(), text.size()}, &Harness::on_event, &out, &out.error);
    return out;
  }

private:
  static int32_t OC_ABI on_event(void* data, const oc_event_header* header) {
    auto& out = *static_cast<Described*>(data);
    if (header->type == OC_EVENT_TEXT_DELTA) {
      const auto* event = reinterpret_cast<const oc_event_text*>(header);
      out.text.append(event->text.ptr, event->text.len);
    } else if (header->type == OC_EVENT_DONE) {
      out.done = true;
    }
    return 0;
  }

  TempDir dir_;
  claw_host::PluginHost host_;
  std::string base_url_;
  std::string ca_;
};

json::object last_body(const de::Emulator& emulator) {
  const auto requests = emulator.requests(kCompletions);
  REQUIRE(requests.size() == 1);
  return json::parse(requests.back().body).as_object();
}

// A JSON string's text (anything else serialised), for comparisons with std::string.
std::string text(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

std::string base64(const std::string& bytes) {
  std::string out(boost::beast::detail::base64::encoded_size(bytes.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

// A TCP listener standing in for an HTTPS proxy: it only counts connections,
// so a test can prove that a command made no network call at all.
class ConnectionCounter {
public:
  ConnectionCounter() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0 || stopping_) {
          if (client >= 0) ::close(client);
          return;
        }
        ++count_;
        ::close(client);
      }
    });
  }
  ~ConnectionCounter() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int count() const { return count_; }

private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> count_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

struct CliState {
  TempDir dir;
  CliState() { openclaw_test::install_plugin(dir.path() / "plugins"); }
  fs::path path() const { return dir.path(); }
};

} // namespace

TEST_CASE("media: available on Standard and custom endpoints, not on Coding Plan or the Portal", "[media]") {
  Harness harness;
  auto standard = harness.availability("https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
  CHECK(standard.at("available") == true);
  CHECK(standard.at("model") == "qwen-vl-max-latest");
  CHECK(standard.at("inputs") == json::array{"image", "video"});
  CHECK(harness.availability("https://dashscope.aliyuncs.com/compatible-mode/v1").at("available") == true);
  CHECK(harness.availability("http://127.0.0.1:9/compatible-mode/v1").at("available") == true);

  const auto china = harness.availability("https://coding.dashscope.aliyuncs.com/v1");
  CHECK(china.at("available") == false);
  CHECK_THAT(std::string(china.at("reason").as_string()), Catch::Contains("Coding Plan"));
  CHECK_THAT(std::string(china.at("fix").as_string()), Catch::Contains("qwen-standard-api-key-cn"));
  const auto global = harness.availability("https://coding-intl.dashscope.aliyuncs.com/v1");
  CHECK(global.at("available") == false);
  CHECK_THAT(std::string(global.at("fix").as_string()), Catch::Contains("--auth-choice qwen-standard-api-key`"));
  const auto portal = harness.availability("https://portal.qwen.ai/v1");
  CHECK(portal.at("available") == false);
  CHECK_THAT(std::string(portal.at("reason").as_string()), Catch::Contains("Portal"));
  CHECK_THAT(std::string(portal.at("fix").as_string()), Catch::Contains("qwen-standard-api-key"));

  // The Portal provider does not offer the capability at all.
  CHECK(harness.media("qwen-oauth") == nullptr);
}

TEST_CASE("media: describe on Coding Plan or Portal is unavailable, naming the reason and the fix", "[media]") {
  Harness harness;
  const json::object request{{"prompt", "what?"}, {"images", json::array{"https://example.com/cat.png"}}};
  for (const std::string base : {"https://coding.dashscope.aliyuncs.com/v1", "https://coding-intl.dashscope.aliyuncs.com/v1",
                                 "https://portal.qwen.ai/v1"}) {
    const auto started = std::chrono::steady_clock::now();
    const auto out = harness.describe(base, request);
    CHECK(out.status == OC_ERR_UNAVAILABLE);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("Standard (pay-as-you-go)"));
    CHECK_THAT(std::string(out.error.hint), Catch::Contains("qwen-standard-api-key"));
    CHECK(out.text.empty());
    // Decided locally: no DNS lookup or connection to the real hosts.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(200));
  }
}

TEST_CASE("media: image and video parts reach the compatible endpoint and the answer streams", "[media]") {
  Harness harness;
  de::Emulator emulator;
  const json::object request{
      {"prompt", "What happens here?"},
      {"images", json::array{"https://example.com/a.png", json::object{{"url", "https://example.com/b.jpg"}}}},
      {"videos", json::array{json::object{{"url", "https://example.com/clip.mp4"}}}}};
  const auto out = harness.describe(emulator.compatible_base_url(), request);
  REQUIRE(out.status == OC_OK);
  CHECK(out.done);
  CHECK(out.text == "Echo from qwen-vl-max-latest (images: 2, videos: 1): What happens here?");

  const auto body = last_body(emulator);
  CHECK(body.at("model") == "qwen-vl-max-latest");
  CHECK(body.at("stream") == true);
  CHECK_FALSE(body.contains("enable_thinking"));
  const auto& content = body.at("messages").at(0).at("content").as_array();
  REQUIRE(content.size() == 4);
  CHECK(content[0].at("type") == "image_url");
  CHECK(content[0].at("image_url").at("url") == "https://example.com/a.png");
  CHECK(content[1].at("image_url").at("url") == "https://example.com/b.jpg");
  CHECK(content[2].at("type") == "video_url");
  CHECK(content[2].at("video_url").at("url") == "https://example.com/clip.mp4");
  CHECK(content[3].at("type") == "text");
  CHECK(content[3].at("text") == "What happens here?");
}

TEST_CASE("media: non-streaming answers and inline data become data URLs", "[media]") {
  Harness harness;
  de::Emulator emulator;
  const std::string bytes = "\x89PNG\r\n\x1a\nnot-really-a-png";
  const json::object request{{"prompt", "Describe."},
                             {"stream", false},
                             {"images", json::array{json::object{{"data", base64(bytes)}, {"mimeType", "image/png"}}}}};
  const auto out = harness.describe(emulator.compatible_base_url(), request);
  REQUIRE(out.status == OC_OK);
  CHECK(out.text == "Echo from qwen-vl-max-latest (images: 1, videos: 0): Describe.");
  const auto body = last_body(emulator);
  CHECK(body.at("stream") == false);
  CHECK(text(body.at("messages").at(0).at("content").at(0).at("image_url").at("url")) ==
        "data:image/png;base64," + base64(bytes));
}

TEST_CASE("media: bad inputs fail before anything is sent", "[media]") {
  Harness harness;
  de::Emulator emulator;
  const auto base = emulator.compatible_base_url();
  SECTION("a local path is never read by the plugin") {
    const auto out = harness.describe(base, {{"prompt", "x"}, {"images", json::array{"/tmp/cat.png"}}});
    CHECK(out.status == OC_ERR_INVALID_ARGUMENT);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("neither an http(s) URL nor inline data"));
  }
  SECTION("inline data over 10 MB") {
    const std::string huge(10 * 1024 * 1024 + 4, 'A');
    const auto out = harness.describe(
        base, {{"prompt", "x"}, {"videos", json::array{json::object{{"data", huge}, {"mimeType", "video/mp4"}}}}});
    CHECK(out.status == OC_ERR_INVALID_ARGUMENT);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("too large") && Catch::Contains("10.0 MB"));
    CHECK_THAT(std::string(out.error.hint), Catch::Contains("http(s) URL"));
  }
  SECTION("a video passed as an image") {
    const auto out = harness.describe(
        base, {{"prompt", "x"}, {"images", json::array{json::object{{"data", "AAAA"}, {"mimeType", "video/mp4"}}}}});
    CHECK(out.status == OC_ERR_INVALID_ARGUMENT);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("mimeType"));
  }
  SECTION("nothing to look at") {
    const auto out = harness.describe(base, {{"prompt", "x"}});
    CHECK(out.status == OC_ERR_INVALID_ARGUMENT);
    CHECK_THAT(std::string(out.error.message), Catch::Contains("no images or videos"));
  }
  CHECK(emulator.requests().empty());
}

TEST_CASE("media: claw-host understand sends local files inline and URLs as given", "[media][cli]") {
  CliState state;
  de::Emulator emulator({.tls = true});
  TempDir files;
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(3000, '\x42');
  const std::string mp4 = std::string("\x00\x00\x00\x18" "ftypisom", 12) + std::string(5000, '\x07');
  openclaw_test::write_file(files.path() / "cat.png", png);
  openclaw_test::write_file(files.path() / "clip.mp4", mp4);
  const std::map<std::string, std::string> env{{"QWEN_API_KEY", kKey}, {"SSL_CERT_FILE", emulator.ca_cert_path()}};

  const auto run = run_claw_host(state.path(),
                                 {"understand", "--base-url", emulator.compatible_base_url(), "--image",
                                  (files.path() / "cat.png").string(), "--image", "https://example.com/dog.jpg",
                                  "--video", (files.path() / "clip.mp4").string(), "What is going on?"},
                                 env);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out == "Echo from qwen-vl-max-latest (images: 2, videos: 1): What is going on?\n");
  CHECK_THAT(run.out + run.err, !Catch::Contains(kKey));
  const auto body = last_body(emulator);
  const auto& content = body.at("messages").at(0).at("content").as_array();
  REQUIRE(content.size() == 4);
  CHECK(text(content[0].at("image_url").at("url")) == "data:image/png;base64," + base64(png));
  CHECK(content[1].at("image_url").at("url") == "https://example.com/dog.jpg");
  CHECK(text(content[2].at("video_url").at("url")) == "data:video/mp4;base64," + base64(mp4));

  const auto json_run = run_claw_host(state.path(),
                                      {"understand", "--json", "--base-url", emulator.compatible_base_url(),
                                       "--video", "https://example.com/v.mp4", "Summarise"},
                                      env);
  REQUIRE(json_run.exit_code == 0);
  const auto answer = json::parse(json_run.out);
  CHECK(answer.at("model") == "qwen-vl-max-latest");
  CHECK(answer.at("text") == "Echo from qwen-vl-max-latest (images: 0, videos: 1): Summarise");
  CHECK(answer.at("finishReason") == "stop");
}

TEST_CASE("media: a file too large to send inline fails before any upload", "[media][cli]") {
  CliState state;
  de::Emulator emulator;
  TempDir files;
  // 8 MiB grows past 10 MB once Base64-encoded.
  const auto big = files.path() / "big.mp4";
  openclaw_test::write_file(big, "");
  fs::resize_file(big, 8u * 1024 * 1024);
  const auto run = run_claw_host(state.path(),
                                 {"understand", "--base-url", emulator.compatible_base_url(), "--video", big.string(),
                                  "What is this?"},
                                 {{"QWEN_API_KEY", kKey}});
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("too large to send inline") && Catch::Contains("http(s) URL"));
  CHECK(emulator.requests().empty());

  const auto missing = run_claw_host(state.path(),
                                     {"understand", "--base-url", emulator.compatible_base_url(), "--image",
                                      (files.path() / "nope.png").string(), "What is this?"},
                                     {{"QWEN_API_KEY", kKey}});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("No such image file"));
  CHECK(emulator.requests().empty());
}

TEST_CASE("media: claw-host understand on a Coding Plan or Portal endpoint makes no network call", "[media][cli]") {
  CliState state;
  ConnectionCounter proxy;
  // Every connection the plugin opens goes through this "proxy".
  const std::map<std::string, std::string> env{
      {"QWEN_API_KEY", kKey}, {"HTTPS_PROXY", proxy.url()}, {"HTTP_PROXY", proxy.url()}};
  REQUIRE(run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key-cn", "--api-key", kKey}).exit_code == 0);

  const auto coding = run_claw_host(state.path(), {"understand", "--image", "https://example.com/a.png", "What?"}, env);
  CHECK(coding.exit_code == 7);
  CHECK_THAT(coding.err, Catch::Contains("Coding Plan") && Catch::Contains("qwen-standard-api-key-cn"));
  const auto portal = run_claw_host(
      state.path(), {"understand", "--base-url", "https://portal.qwen.ai/v1", "--image", "https://example.com/a.png", "What?"},
      env);
  CHECK(portal.exit_code == 7);
  CHECK_THAT(portal.err, Catch::Contains("Qwen Portal"));
  CHECK(proxy.count() == 0);

  // The control: a chat call on the same configuration does go through the proxy.
  const auto chat = run_claw_host(state.path(), {"chat", "--timeout", "2", "hi"}, env);
  CHECK(chat.exit_code != 0);
  CHECK(proxy.count() > 0);
}
