// Decoding DashScope stream chunks and completion bodies into host events.
#include "chat/chat_response.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace openclaw::qwen;

namespace {

struct Recorder {
  std::vector<std::string> log;
  Usage usage;
  static int32_t OC_ABI on_event(void* data, const oc_event_header* header) {
    auto& self = *static_cast<Recorder*>(data);
    auto text = [](oc_str s) { return std::string(s.ptr, s.len); };
    switch (header->type) {
    case OC_EVENT_TEXT_DELTA:
      self.log.push_back("text:" + text(reinterpret_cast<const oc_event_text*>(header)->text));
      break;
    case OC_EVENT_REASONING_DELTA:
      self.log.push_back("reasoning:" + text(reinterpret_cast<const oc_event_text*>(header)->text));
      break;
    case OC_EVENT_TOOL_CALL_DELTA: {
      const auto* call = reinterpret_cast<const oc_event_tool_call_delta*>(header);
      self.log.push_back("tool:" + std::to_string(call->index) + ":" + text(call->id) + ":" + text(call->name) + ":" +
                         text(call->arguments_delta));
      break;
    }
    case OC_EVENT_USAGE: {
      const auto* usage = reinterpret_cast<const oc_event_usage*>(header);
      self.usage = {usage->prompt_tokens, usage->completion_tokens, usage->total_tokens, usage->cached_tokens,
                    usage->reasoning_tokens};
      self.log.push_back("usage");
      break;
    }
    case OC_EVENT_DONE:
      self.log.push_back("done:" + text(reinterpret_cast<const oc_event_done*>(header)->finish_reason));
      break;
    }
    return 0;
  }
};

} // namespace

TEST_CASE("a stream with reasoning, text, tool calls and a usage-only chunk decodes in order", "[chat]") {
  Recorder recorder;
  EventSink sink(Recorder::on_event, &recorder);
  chat::StreamDecoder decoder(sink);
  for (const auto* chunk : {
           R"({"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_time","arguments":""}}]}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"","function":{"arguments":"{\"tz\":"}}]}}]})",
           R"({"id":"c1","choices":[{"index":0,"delta":{"content":""},"finish_reason":"tool_calls"}]})",
           R"({"id":"c1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":8}}})",
           "[DONE]"}) {
    REQUIRE(decoder.on_data(chunk));
  }
  REQUIRE(decoder.finish("req-1"));
  CHECK(recorder.log == std::vector<std::string>{"reasoning:think", "text:Hel", "text:lo", "tool:0:call_1:get_time:",
                                                 "tool:0:::{\"tz\":", "usage", "done:tool_calls"});
  CHECK(recorder.usage.total_tokens == 15);
  CHECK(recorder.usage.cached_tokens == 8);
}

TEST_CASE("a stream that ends without [DONE] is an error, not a silent success", "[chat]") {
  Recorder recorder;
  EventSink sink(Recorder::on_event, &recorder);
  chat::StreamDecoder decoder(sink);
  REQUIRE(decoder.on_data(R"({"choices":[{"index":0,"delta":{"content":"partial"}}]})"));
  const auto result = decoder.finish("req-2");
  REQUIRE_FALSE(result);
  CHECK(result.error().code == OC_ERR_NETWORK);
  CHECK(result.error().request_id == "req-2");
  CHECK(recorder.log == std::vector<std::string>{"text:partial"}); // no DONE
}

TEST_CASE("a malformed chunk or an error object mid-stream fails the call", "[chat]") {
  Recorder recorder;
  EventSink sink(Recorder::on_event, &recorder);
  chat::StreamDecoder decoder(sink);
  const auto malformed = decoder.on_data(R"({"choices":[{"delta":{"content":"x")");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == OC_ERR_UPSTREAM);
  const auto embedded = decoder.on_data(R"({"error":{"message":"quota exhausted mid-stream"},"request_id":"r9"})");
  REQUIRE_FALSE(embedded);
  CHECK_THAT(embedded.error().message, Catch::Contains("quota exhausted mid-stream"));
  CHECK(embedded.error().request_id == "r9");
}

TEST_CASE("a whole completion body produces the same event kinds", "[chat]") {
  Recorder recorder;
  EventSink sink(Recorder::on_event, &recorder);
  REQUIRE(chat::decode_completion(R"({"id":"c2","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
      "content":"Hi!","reasoning_content":"hmm","tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{}"}}]}}],
      "usage":{"prompt_tokens":3,"completion_tokens":2}})",
                                  "req-3", sink));
  CHECK(recorder.log == std::vector<std::string>{"reasoning:hmm", "text:Hi!", "tool:0:call_9:f:{}", "usage", "done:stop"});
  CHECK(recorder.usage.total_tokens == 5); // computed when the body omits it
}

TEST_CASE("a host that stops listening gets no further events", "[chat]") {
  int delivered = 0;
  EventSink sink([](void* data, const oc_event_header*) -> int32_t { return ++*static_cast<int*>(data) >= 1 ? 1 : 0; },
                 &delivered);
  chat::StreamDecoder decoder(sink);
  REQUIRE(decoder.on_data(R"({"choices":[{"index":0,"delta":{"content":"a"}}]})"));
  REQUIRE(decoder.on_data(R"({"choices":[{"index":0,"delta":{"content":"b"}}]})"));
  CHECK(delivered == 1);
  CHECK(sink.stopped());
}
