// The DashScope body the plugin builds from a host chat request: thinking,
// context cache, image fallback, Portal rules, streaming usage.
#include "chat/chat_request.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace json = boost::json;
using namespace openclaw::qwen;
using namespace openclaw::qwen::catalog;

namespace {

ModelRow row(std::string id, std::vector<std::string> input, bool reasoning) {
  ModelRow model;
  model.id = std::move(id);
  model.input = std::move(input);
  model.reasoning = reasoning;
  return model;
}

const ModelRow kVision = row("qwen3.5-plus", {"text", "image"}, false);
const ModelRow kTextOnly = row("glm-5", {"text"}, false);
const ModelRow kReasoning = row("MiniMax-M2.5", {"text"}, true);

json::object build(const char* request, const ModelRow& model, const char* base_url, bool portal = false) {
  return chat::build_chat_body(json::parse(request).as_object(),
                               chat::ChatTarget{model, classify_endpoint(base_url), portal});
}

constexpr const char* kConversation = R"({"model":"qwen/x","stream":true,"messages":[
  {"role":"system","content":"You are terse."},
  {"role":"user","content":"first"},
  {"role":"assistant","content":"ok"},
  {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/cat.png"}},{"type":"text","text":"what is this?"}]}]})";

} // namespace

TEST_CASE("streaming usage is requested exactly on the four native DashScope hosts", "[chat]") {
  for (const auto* url : {"https://dashscope.aliyuncs.com/compatible-mode/v1",
                          "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
                          "https://coding.dashscope.aliyuncs.com/v1", "https://CODING-INTL.dashscope.aliyuncs.com./v1"}) {
    INFO(url);
    const auto body = build(kConversation, kVision, url);
    CHECK(body.at("stream_options") == json::parse(R"({"include_usage":true})"));
  }
  for (const auto* url : {"https://portal.qwen.ai/v1", "http://127.0.0.1:8080/v1", "https://gateway.example.com/v1"}) {
    INFO(url);
    CHECK_FALSE(build(kConversation, kVision, url).contains("stream_options"));
  }
  const auto not_streaming = build(R"({"messages":[{"role":"user","content":"hi"}]})", kVision,
                                   "https://dashscope.aliyuncs.com/compatible-mode/v1");
  CHECK(not_streaming.at("stream") == false);
  CHECK_FALSE(not_streaming.contains("stream_options"));
}

TEST_CASE("thinking maps to enable_thinking for reasoning models only", "[chat]") {
  const char* url = "https://coding-intl.dashscope.aliyuncs.com/v1";
  auto with_level = [&](const char* level) {
    const std::string request = std::string(R"({"messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high","reasoning":{"effort":"low"})") +
                                (level ? std::string(R"(,"thinking":")") + level + "\"}" : "}");
    return build(request.c_str(), kReasoning, url);
  };
  CHECK(with_level("off").at("enable_thinking") == false);
  CHECK(with_level("none").at("enable_thinking") == false);
  CHECK(with_level("low").at("enable_thinking") == true);
  CHECK(with_level("high").at("enable_thinking") == true);
  CHECK(with_level(nullptr).at("enable_thinking") == true);
  CHECK_FALSE(with_level("high").contains("reasoning_effort"));
  CHECK_FALSE(with_level("high").contains("reasoning"));
  CHECK_FALSE(with_level("high").contains("thinking"));
  CHECK_FALSE(build(R"({"messages":[{"role":"user","content":"hi"}],"thinking":"high"})", kTextOnly, url)
                  .contains("enable_thinking"));
}

TEST_CASE("native hosts mark the system text and the last user text for the context cache", "[chat]") {
  const auto body = build(kConversation, kVision, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
  const auto& messages = body.at("messages").as_array();
  CHECK(messages.at(0).at("content") ==
        json::parse(R"([{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}])"));
  CHECK(messages.at(1).at("content") == "first"); // earlier turns untouched
  const auto& last = messages.at(3).at("content").as_array();
  CHECK_FALSE(last.at(0).as_object().contains("cache_control"));
  CHECK(last.at(1).at("cache_control") == json::parse(R"({"type":"ephemeral"})"));
}

TEST_CASE("other hosts get plain content and no cache_control", "[chat]") {
  const auto body = build(kConversation, kVision, "https://gateway.example.com/v1");
  CHECK(json::serialize(body).find("cache_control") == std::string::npos);
  CHECK(body.at("messages").at(0).at("content") == "You are terse.");
}

TEST_CASE("a text-only model never receives image parts", "[chat]") {
  const auto body = build(kConversation, kTextOnly, "https://gateway.example.com/v1");
  const auto& parts = body.at("messages").at(3).at("content").as_array();
  CHECK(parts.at(0) == json::parse(R"j({"type":"text","text":"(image omitted: model does not support images)"})j"));
  CHECK(json::serialize(body).find("image_url") == std::string::npos);
  // A vision model keeps them.
  CHECK(json::serialize(build(kConversation, kVision, "https://gateway.example.com/v1")).find("cat.png") !=
        std::string::npos);
}

TEST_CASE("Portal requests use text parts, cache the system part and ask for high-resolution images", "[chat]") {
  const auto body = build(kConversation, kVision, "https://portal.qwen.ai/v1", true);
  CHECK(body.at("vl_high_resolution_images") == true);
  const auto& messages = body.at("messages").as_array();
  CHECK(messages.at(0).at("content") ==
        json::parse(R"([{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}])"));
  CHECK(messages.at(1).at("content") == json::parse(R"([{"type":"text","text":"first"}])"));
  CHECK(messages.at(2).at("content") == json::parse(R"([{"type":"text","text":"ok"}])"));
}

TEST_CASE("tools, tool_choice and response_format pass through untouched", "[chat]") {
  const auto body = build(R"({"messages":[{"role":"user","content":"hi"}],
      "tools":[{"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}],
      "tool_choice":"auto","response_format":{"type":"json_object"},"max_tokens":64,"model":"qwen/glm-5"})",
                          kTextOnly, "https://gateway.example.com/v1");
  CHECK(body.at("model") == "glm-5");
  CHECK(body.at("tools").at(0).at("function").at("name") == "get_time");
  CHECK(body.at("tool_choice") == "auto");
  CHECK(body.at("response_format").at("type") == "json_object");
  CHECK(body.at("max_tokens") == 64);
}

#include "upstream.hpp"

TEST_CASE("a key refused on the other plan's endpoint gets a hint naming the right auth choice", "[errors]") {
  auto refused = [](const char* key, const char* url) {
    CallContext ctx;
    ctx.api_key = key;
    return with_key_plan_hint(make_error(OC_ERR_AUTH, "authentication failed (HTTP 401)"), ctx, url).hint;
  };
  CHECK_THAT(refused("sk-sp-abc", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions"),
             Catch::Contains("Coding Plan key") && Catch::Contains("qwen-api-key,"));
  CHECK_THAT(refused("sk-sp-abc", "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"),
             Catch::Contains("qwen-api-key-cn"));
  CHECK_THAT(refused("sk-abc", "https://coding-intl.dashscope.aliyuncs.com/v1/chat/completions"),
             Catch::Contains("qwen-standard-api-key."));
  CHECK_THAT(refused("sk-abc", "https://coding.dashscope.aliyuncs.com/v1/chat/completions"),
             Catch::Contains("qwen-standard-api-key-cn"));
  CHECK(refused("sk-abc", "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions").empty());
  CHECK(refused("sk-sp-abc", "http://127.0.0.1:9/v1/chat/completions").empty());
  // The hint never repeats the key.
  CHECK(refused("sk-sp-secretvalue", "https://dashscope.aliyuncs.com/x").find("secretvalue") == std::string::npos);
}
