// Chat end to end: the real plugin, loaded through the host's loader, talking
// to the local DashScope emulator over real loopback sockets (HTTP and HTTPS).
#include "test_support.hpp"

#include "claw_host/plugin_host.hpp"
#include "dashscope_emulator/emulator.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace json = boost::json;
namespace de = dashscope_emulator;
using namespace std::chrono_literals;
using openclaw_test::TempDir;

namespace {

const std::string kKey = "sk-chat-test-0123456789";

// Everything the host saw of one chat call.
struct ChatOutcome {
  oc_status status = OC_OK;
  oc_error error{};
  std::string text;
  std::string reasoning;
  std::vector<std::string> events; // kinds in arrival order
  std::map<std::uint32_t, std::pair<std::string, std::string>> tools; // index -> (name, arguments)
  std::vector<std::string> tool_ids;
  std::optional<oc_event_usage> usage;
  std::string finish_reason;
  std::string request_id;
};

class Harness {
public:
  Harness() {
    openclaw_test::install_plugin(dir_.path());
    const auto found = claw_host::discover_plugins(dir_.path());
    REQUIRE_FALSE(host_.load(found.plugins.at(0)).has_value());
  }

  const oc_provider* provider(const char* id) const { return host_.find(id)->table; }

  ChatOutcome chat(const std::string& base_url, const json::object& request, const char* provider_id = "qwen",
                   const std::string& ca_bundle = {}, const oc_cancel_token* cancel = nullptr,
                   std::uint32_t read_timeout_ms = 0, const std::string& key = kKey) {
    const auto* p = provider(provider_id);
    const auto* chat = static_cast<const oc_chat_v1*>(p->get_capability(p, OC_CAPABILITY_CHAT));
    oc_call_context ctx{};
    ctx.struct_size = sizeof ctx;
    ctx.provider_id = {provider_id, std::strlen(provider_id)};
    ctx.base_url = {base_url.data(), base_url.size()};
    ctx.api_key = {key.data(), key.size()};
    ctx.ca_bundle_path = {ca_bundle.data(), ca_bundle.size()};
    ctx.read_timeout_ms = read_timeout_ms;
    ctx.connect_timeout_ms = 2000;
    ctx.cancel = cancel;
    ChatOutcome out;
    out.error.struct_size = sizeof out.error;
    const auto text = json::serialize(request);
    out.status = chat->complete(p, &ctx, {text.data(), text.size()}, &Harness::on_event, &out, &out.error);
    return out;
  }

private:
  static int32_t OC_ABI on_event(void* data, const oc_event_header* header) {
    auto& out = *static_cast<ChatOutcome*>(data);
    auto str = [](oc_str s) { return std::string(s.ptr, s.len); };
    switch (header->type) {
    case OC_EVENT_TEXT_DELTA:
      out.events.push_back("text");
      out.text += str(reinterpret_cast<const oc_event_text*>(header)->text);
      break;
    case OC_EVENT_REASONING_DELTA:
      out.events.push_back("reasoning");
      out.reasoning += str(reinterpret_cast<const oc_event_text*>(header)->text);
      break;
    case OC_EVENT_TOOL_CALL_DELTA: {
      out.events.push_back("tool");
      const auto* call = reinterpret_cast<const oc_event_tool_call_delta*>(header);
      auto& entry = out.tools[call->index];
      if (call->name.len) entry.first = str(call->name);
      if (call->id.len) out.tool_ids.push_back(str(call->id));
      entry.second += str(call->arguments_delta);
      break;
    }
    case OC_EVENT_USAGE:
      out.events.push_back("usage");
      out.usage = *reinterpret_cast<const oc_event_usage*>(header);
      break;
    case OC_EVENT_DONE: {
      out.events.push_back("done");
      const auto* done = reinterpret_cast<const oc_event_done*>(header);
      out.finish_reason = str(done->finish_reason);
      out.request_id = str(done->request_id);
      break;
    }
    case OC_EVENT_RETRY:
      out.events.push_back("retry");
      break;
    }
    return 0;
  }

  TempDir dir_;
  claw_host::PluginHost host_;
};

json::object user_request(const std::string& model, const std::string& text, bool stream = true) {
  return json::object{{"model", model},
                      {"stream", stream},
                      {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
}

json::object last_body(const de::Emulator& emulator) {
  const auto requests = emulator.requests("/v1/chat/completions");
  REQUIRE_FALSE(requests.empty());
  return json::parse(requests.back().body).as_object();
}

struct Token {
  std::atomic<bool> tripped{false};
  oc_cancel_token token{sizeof(oc_cancel_token), this,
                        [](void* self) -> int32_t { return static_cast<Token*>(self)->tripped.load() ? 1 : 0; }};
};

} // namespace

TEST_CASE("chat: a streamed answer arrives as deltas and ends with DONE", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.content = "Hello from the emulator", .content_chunks = 4});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  REQUIRE(out.status == OC_OK);
  CHECK(out.text == "Hello from the emulator");
  CHECK(std::count(out.events.begin(), out.events.end(), "text") == 4);
  CHECK(out.events.back() == "done");
  CHECK(out.finish_reason == "stop");
  CHECK_FALSE(out.request_id.empty());

  const auto request = emulator.requests("/v1/chat/completions").back();
  CHECK(request.header("Authorization") == "Bearer " + kKey);
  const auto body = json::parse(request.body);
  CHECK(body.at("model") == "qwen3.5-plus");
  CHECK(body.at("stream") == true);
  // The emulator is not a native DashScope host: no usage chunk is asked for.
  CHECK_FALSE(body.as_object().contains("stream_options"));
}

TEST_CASE("chat: a non-streaming answer delivers the same events with usage", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.content = "Whole answer", .usage = {.prompt_tokens = 11, .completion_tokens = 3, .cached_tokens = 7}});
  const auto out = harness.chat(emulator.compatible_base_url(), user_request("qwen/glm-5", "hi", false));
  REQUIRE(out.status == OC_OK);
  CHECK(out.text == "Whole answer");
  REQUIRE(out.usage);
  CHECK(out.usage->prompt_tokens == 11);
  CHECK(out.usage->total_tokens == 14);
  CHECK(out.usage->cached_tokens == 7);
  CHECK(out.events == std::vector<std::string>{"text", "usage", "done"});
  CHECK(emulator.requests("/compatible-mode/v1/chat/completions").size() == 1);
}

TEST_CASE("chat: reasoning deltas stream separately and thinking maps to enable_thinking", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.content = "42", .reasoning = "Let me think", .reasoning_chunks = 2});
  auto request = user_request("qwen/MiniMax-M2.5", "meaning of life?");
  const auto out = harness.chat(emulator.coding_base_url(), request);
  REQUIRE(out.status == OC_OK);
  CHECK(out.reasoning == "Let me think");
  CHECK(out.text == "42");
  CHECK(out.events.front() == "reasoning");
  CHECK(last_body(emulator).at("enable_thinking") == true);

  request["thinking"] = "off";
  request["reasoning_effort"] = "high";
  REQUIRE(harness.chat(emulator.coding_base_url(), request).status == OC_OK);
  const auto body = last_body(emulator);
  CHECK(body.at("enable_thinking") == false);
  CHECK_FALSE(body.contains("reasoning_effort"));

  auto plain = user_request("qwen/glm-5", "hi");
  plain["thinking"] = "high";
  REQUIRE(harness.chat(emulator.coding_base_url(), plain).status == OC_OK);
  CHECK_FALSE(last_body(emulator).contains("enable_thinking"));
}

TEST_CASE("chat: tool-call deltas are grouped by index; tools and response_format go upstream", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.tool_calls = {{.id = "call_a", .name = "get_weather", .arguments = R"({"city":"Hangzhou"})", .argument_chunks = 3},
                                     {.id = "call_b", .name = "get_time", .arguments = R"({"tz":"UTC+8"})", .argument_chunks = 2}}});
  auto request = user_request("qwen/qwen3-coder-plus", "weather and time?");
  request["tools"] = json::parse(R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},
                                     {"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}])");
  request["response_format"] = json::parse(R"({"type":"json_object"})");
  const auto out = harness.chat(emulator.coding_base_url(), request);
  REQUIRE(out.status == OC_OK);
  REQUIRE(out.tools.size() == 2);
  CHECK(out.tools.at(0) == std::make_pair(std::string("get_weather"), std::string(R"({"city":"Hangzhou"})")));
  CHECK(out.tools.at(1) == std::make_pair(std::string("get_time"), std::string(R"({"tz":"UTC+8"})")));
  CHECK(out.tool_ids == std::vector<std::string>{"call_a", "call_b"}); // continuation ids "" start nothing
  CHECK(out.finish_reason == "tool_calls");
  const auto body = last_body(emulator);
  CHECK(body.at("tools").as_array().size() == 2);
  CHECK(body.at("response_format").at("type") == "json_object");
}

TEST_CASE("chat: a text-only model gets the image replaced by a note", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  auto request = json::parse(R"({"model":"qwen/glm-5","stream":true,"messages":[{"role":"user","content":[
      {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},{"type":"text","text":"and now?"}]}]})").as_object();
  REQUIRE(harness.chat(emulator.coding_base_url(), request).status == OC_OK);
  const auto sent = emulator.requests("/v1/chat/completions").back().body;
  CHECK(sent.find("image_url") == std::string::npos);
  CHECK(sent.find("(image omitted: model does not support images)") != std::string::npos);
}

TEST_CASE("chat: a wrong key is an auth error with the request id and never the key", "[chat][secrets]") {
  Harness harness;
  de::Emulator emulator;
  const std::string bad(de::kInvalidKey);
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"), "qwen", {}, nullptr, 0, bad);
  CHECK(out.status == OC_ERR_AUTH);
  CHECK(out.error.http_status == 401);
  CHECK(std::string(out.error.request_id).size() > 0);
  CHECK(std::string(out.error.message).find(bad) == std::string::npos);
  CHECK(std::string(out.error.hint).find(bad) == std::string::npos);
  CHECK(emulator.requests("/v1/chat/completions").size() == 1); // auth failures are not retried
}

TEST_CASE("chat: a 429 with Retry-After is retried before the stream starts", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::Http429{.retry_after_seconds = 1}});
  emulator.push_chat({.content = "after the wait"});
  const auto started = std::chrono::steady_clock::now();
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  REQUIRE(out.status == OC_OK);
  CHECK(out.text == "after the wait");
  CHECK(out.events.front() == "retry");
  CHECK(std::chrono::steady_clock::now() - started >= 900ms); // Retry-After honoured
  CHECK(emulator.requests("/v1/chat/completions").size() == 2);
}

TEST_CASE("chat: retries are bounded; the rate limit is reported with its retry-after", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  for (int i = 0; i < 3; ++i) emulator.push_chat({.fault = de::Http429{.retry_after_seconds = 0}});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(out.status == OC_ERR_RATE_LIMITED);
  CHECK(out.error.retry_after_ms == 0);
  CHECK(emulator.requests("/v1/chat/completions").size() == 3); // first try + 2 retries
}

TEST_CASE("chat: 5xx answers map to upstream errors; 503 is retried, 500 is not", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::Http5xx{.status = 500}});
  const auto failed = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(failed.status == OC_ERR_UPSTREAM);
  CHECK(failed.error.http_status == 500);
  CHECK(emulator.requests("/v1/chat/completions").size() == 1);

  emulator.clear_requests();
  emulator.push_chat({.fault = de::Http5xx{.status = 503}});
  emulator.push_chat({.content = "recovered"});
  const auto recovered = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(recovered.status == OC_OK);
  CHECK(emulator.requests("/v1/chat/completions").size() == 2);
}

TEST_CASE("chat: the plan's model-not-supported error keeps the upstream message", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::ModelNotSupportedOnPlan{}});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3-max-2026-01-23", "hi"));
  CHECK(out.status == OC_ERR_BAD_REQUEST); // a custom host: only Coding Plan hosts map it to the plan error
  CHECK_THAT(std::string(out.error.message), Catch::Contains("qwen3-max-2026-01-23"));
}

TEST_CASE("chat: a connection reset mid-stream is a network error after the partial answer", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.content = "one two three four", .content_chunks = 4, .fault = de::ResetMidStream{.after_chunks = 3}});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(out.status == OC_ERR_NETWORK);
  CHECK_FALSE(out.text.empty());
  CHECK(std::find(out.events.begin(), out.events.end(), "done") == out.events.end());
  CHECK(emulator.requests("/v1/chat/completions").size() == 1); // never resent after output
}

TEST_CASE("chat: a stream that stops without [DONE] is reported as truncated", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.content = "cut short here", .fault = de::TruncatedNoDone{.after_chunks = 2}});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(out.status == OC_ERR_NETWORK);
  CHECK_THAT(std::string(out.error.message), Catch::Contains("[DONE]"));
}

TEST_CASE("chat: a malformed chunk fails the call with an upstream error", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::MalformedJsonChunk{.after_chunks = 2}});
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(out.status == OC_ERR_UPSTREAM);
  CHECK_THAT(std::string(out.error.message), Catch::Contains("malformed"));
}

TEST_CASE("chat: a stalled server hits the read timeout instead of hanging", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::Stall{.after_chunks = 2, .duration = 5s}});
  const auto started = std::chrono::steady_clock::now();
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"), "qwen", {}, nullptr, 300);
  CHECK(out.status == OC_ERR_TIMEOUT);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("chat: cancelling from another thread ends a stalled stream within 100 ms", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  emulator.push_chat({.fault = de::Stall{.after_chunks = 2, .duration = 10s}});
  Token cancel;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    cancelled_at = std::chrono::steady_clock::now();
    cancel.tripped = true;
  });
  const auto out = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"), "qwen", {}, &cancel.token);
  const auto returned_at = std::chrono::steady_clock::now();
  canceller.join();
  CHECK(out.status == OC_ERR_CANCELLED);
  CHECK(returned_at - cancelled_at < 100ms);
}

TEST_CASE("chat: HTTPS works with the emulator's CA and is refused without it", "[chat][tls]") {
  Harness harness;
  de::Emulator emulator({.tls = true});
  emulator.push_chat({.content = "over TLS"});
  const auto trusted = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"), "qwen",
                                    emulator.ca_cert_path());
  REQUIRE(trusted.status == OC_OK);
  CHECK(trusted.text == "over TLS");
  const auto untrusted = harness.chat(emulator.coding_base_url(), user_request("qwen/qwen3.5-plus", "hi"));
  CHECK(untrusted.status == OC_ERR_TLS);
  CHECK_THAT(std::string(untrusted.error.message) + untrusted.error.hint, Catch::Contains("SSL_CERT_FILE"));
}

TEST_CASE("chat: the Portal provider sends text parts and high-resolution images", "[chat]") {
  Harness harness;
  de::Emulator emulator;
  auto request = user_request("qwen-oauth/qwen3.5-plus", "hi");
  request["messages"].as_array().insert(request["messages"].as_array().begin(),
                                        json::object{{"role", "system"}, {"content", "be brief"}});
  REQUIRE(harness.chat(emulator.coding_base_url(), request, "qwen-oauth").status == OC_OK);
  const auto body = last_body(emulator);
  CHECK(body.at("vl_high_resolution_images") == true);
  CHECK(body.at("messages").at(0).at("content").at(0).at("cache_control").at("type") == "ephemeral");
  CHECK(body.at("messages").at(1).at("content").at(0).at("text") == "hi");
}

TEST_CASE("chat: a hidden model on a Coding Plan endpoint fails before any request", "[chat]") {
  Harness harness;
  const auto out = harness.chat("https://coding-intl.dashscope.aliyuncs.com/v1", user_request("qwen/qwen3.6-plus", "hi"));
  CHECK(out.status == OC_ERR_NOT_FOUND);
  CHECK_THAT(std::string(out.error.message), Catch::StartsWith("Unknown model: qwen/qwen3.6-plus."));
}

TEST_CASE("chat: the CLI streams the answer, reports usage errors and never prints the key", "[chat][cli]") {
  TempDir state;
  openclaw_test::install_plugin(state.path() / "plugins");
  de::Emulator emulator({.tls = true});
  emulator.push_chat({.content = "CLI says hello", .content_chunks = 3});
  const std::map<std::string, std::string> env{{"QWEN_API_KEY", kKey}, {"SSL_CERT_FILE", emulator.ca_cert_path()}};
  const auto ok = openclaw_test::run_claw_host(
      state.path(), {"chat", "--base-url", emulator.coding_base_url(), "--model", "qwen/qwen3.5-plus", "hello"}, env);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "CLI says hello\n");
  CHECK((ok.out + ok.err).find(kKey) == std::string::npos);

  const auto json_run = openclaw_test::run_claw_host(
      state.path(), {"chat", "--base-url", emulator.coding_base_url(), "--json", "--thinking", "off", "hi"}, env);
  REQUIRE(json_run.exit_code == 0);
  CHECK(json::parse(json_run.out).at("text").as_string().starts_with("Echo from qwen3.5-plus"));

  emulator.push_chat({.fault = de::Http401{}});
  const auto refused = openclaw_test::run_claw_host(state.path(), {"chat", "--base-url", emulator.coding_base_url(), "hi"}, env);
  CHECK(refused.exit_code == 4);
  CHECK_THAT(refused.err, Catch::Contains("request id"));
  CHECK((refused.out + refused.err).find(kKey) == std::string::npos);

  const auto no_key = openclaw_test::run_claw_host(state.path(), {"chat", "--base-url", emulator.coding_base_url(), "hi"},
                                                   {{"SSL_CERT_FILE", emulator.ca_cert_path()}});
  CHECK(no_key.exit_code == 4);
  CHECK_THAT(no_key.err, Catch::Contains("onboard"));
}

TEST_CASE("chat: the CLI uses the endpoint and key onboarding wrote", "[chat][cli]") {
  TempDir state;
  openclaw_test::install_plugin(state.path() / "plugins");
  de::Emulator emulator;
  emulator.add_valid_key(kKey);
  REQUIRE(openclaw_test::run_claw_host(state.path(), {"onboard", "--auth-choice", "qwen-api-key", "--api-key", kKey}).exit_code == 0);
  // Point the onboarded provider at the emulator, as a user would for a proxy.
  auto config = json::parse(openclaw_test::read_file(state.path() / "openclaw.json"));
  config.at("models").at("providers").at("qwen").as_object()["baseUrl"] = emulator.coding_base_url();
  openclaw_test::write_file(state.path() / "openclaw.json", json::serialize(config));
  const auto result = openclaw_test::run_claw_host(state.path(), {"chat", "--model", "modelstudio/glm-5", "ping"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "Echo from glm-5: ping\n");
  CHECK(emulator.requests("/v1/chat/completions").back().header("Authorization") == "Bearer " + kKey);
}
