// Self-test of the DashScope emulator, through plain cpp-httplib clients over
// real loopback sockets.
#include <httplib.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "dashscope_emulator/emulator.hpp"

namespace json = boost::json;
using namespace std::chrono_literals;
using dashscope_emulator::Emulator;
using dashscope_emulator::EmulatorOptions;

namespace {

std::unique_ptr<httplib::Client> client_for(const Emulator& emulator) {
  auto client = std::make_unique<httplib::Client>(emulator.origin());
  if (emulator.tls()) client->set_ca_cert_path(emulator.ca_cert_path());
  client->set_read_timeout(10, 0);
  return client;
}

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

std::string chat_body(const std::string& model, const std::string& text, bool stream, bool include_usage = false) {
  json::object body{{"model", model},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  if (stream) body["stream"] = true;
  if (include_usage) body["stream_options"] = json::object{{"include_usage", true}};
  return json::serialize(body);
}

// The `data:` payloads of an SSE body, in order.
std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find("\n\n", at);
    const std::string event = body.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
    if (end == std::string::npos) break;
    at = end + 2;
  }
  return out;
}

json::object parse(const std::string& text) { return json::parse(text).as_object(); }

std::string delta_text(const std::vector<std::string>& events, const char* field) {
  std::string text;
  for (const auto& event : events) {
    if (event == "[DONE]") continue;
    const auto chunk = parse(event);
    for (const auto& choice : chunk.at("choices").as_array()) {
      const auto& delta = choice.at("delta").as_object();
      if (const auto* value = delta.if_contains(field); value != nullptr && value->is_string()) {
        text += value->as_string();
      }
    }
  }
  return text;
}

}  // namespace

TEST_CASE("emulator: HTTPS verifies against the emulator's own CA by IP and by name", "[emulator]") {
  Emulator emulator(EmulatorOptions{.tls = true});
  REQUIRE(emulator.origin().rfind("https://127.0.0.1:", 0) == 0);

  auto client = client_for(emulator);
  auto result = client->Post("/compatible-mode/v1/chat/completions", bearer("sk-test"),
                             chat_body("qwen3.5-plus", "hi", false), "application/json");
  REQUIRE(result);
  CHECK(result->status == 200);
  const auto body = parse(result->body);
  CHECK(body.at("object") == "chat.completion");
  CHECK(body.at("choices").at(0).at("message").at("content") == "Echo from qwen3.5-plus: hi");

  httplib::Client by_name("https://localhost:" + std::to_string(emulator.port()));
  by_name.set_ca_cert_path(emulator.ca_cert_path());
  CHECK(by_name.Get("/authorize"));

  httplib::Client untrusting(emulator.origin());  // the system trust store only
  const auto refused = untrusting.Get("/authorize");
  CHECK_FALSE(refused);
  CHECK(refused.error() == httplib::Error::SSLServerVerification);
}

TEST_CASE("emulator: a streamed chat with include_usage ends with a usage-only chunk before DONE", "[emulator]") {
  Emulator emulator;
  auto client = client_for(emulator);
  auto result = client->Post("/compatible-mode/v1/chat/completions", bearer("sk-test"),
                             chat_body("qwen3.5-plus", "hello there", true, true), "application/json");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "text/event-stream");
  CHECK_FALSE(result->get_header_value("x-request-id").empty());

  const auto events = sse_data(result->body);
  REQUIRE(events.size() == 7);  // role, 3 content deltas, finish, usage, [DONE]
  CHECK(parse(events[0]).at("choices").at(0).at("delta").at("role") == "assistant");
  CHECK(delta_text(events, "content") == "Echo from qwen3.5-plus: hello there");
  CHECK(parse(events[4]).at("choices").at(0).at("finish_reason") == "stop");
  const auto usage_chunk = parse(events[5]);
  CHECK(usage_chunk.at("choices").as_array().empty());
  CHECK(usage_chunk.at("usage").at("total_tokens").as_int64() ==
        usage_chunk.at("usage").at("prompt_tokens").as_int64() +
            usage_chunk.at("usage").at("completion_tokens").as_int64());
  CHECK(events[6] == "[DONE]");

  SECTION("without include_usage there is no usage chunk") {
    auto plain = client->Post("/v1/chat/completions", bearer("sk-test"), chat_body("qwen3.5-plus", "x", true),
                              "application/json");
    REQUIRE(plain);
    const auto plain_events = sse_data(plain->body);
    REQUIRE(plain_events.size() == 6);
    CHECK(parse(plain_events[4]).at("usage").is_null());
    CHECK(plain_events[5] == "[DONE]");
  }
}

TEST_CASE("emulator: reasoning and tool calls stream as their own deltas", "[emulator]") {
  Emulator emulator;
  dashscope_emulator::ChatScript script;
  script.reasoning = "Thinking it over.";
  script.tool_calls.push_back({.id = "call_1", .name = "get_weather", .arguments = R"({"city":"Hangzhou"})",
                               .argument_chunks = 3});
  script.usage.prompt_tokens = 11;
  script.usage.completion_tokens = 7;
  emulator.push_chat(script);
  emulator.push_chat(script);
  auto client = client_for(emulator);

  auto result = client->Post("/compatible-mode/v1/chat/completions", bearer("sk-test"),
                             chat_body("MiniMax-M2.5", "weather?", true, true), "application/json");
  REQUIRE(result);
  const auto events = sse_data(result->body);
  CHECK(delta_text(events, "reasoning_content") == "Thinking it over.");
  CHECK(delta_text(events, "content").empty());

  std::string arguments;
  std::vector<std::string> ids;
  std::string finish;
  for (const auto& event : events) {
    if (event == "[DONE]") continue;
    const auto chunk = parse(event);
    if (chunk.at("choices").as_array().empty()) {
      CHECK(chunk.at("usage").at("completion_tokens") == 7);
      CHECK(chunk.at("usage").at("completion_tokens_details").at("reasoning_tokens").as_int64() > 0);
      continue;
    }
    const auto& choice = chunk.at("choices").at(0).as_object();
    if (!choice.at("finish_reason").is_null()) finish = choice.at("finish_reason").as_string();
    if (const auto* calls = choice.at("delta").as_object().if_contains("tool_calls")) {
      const auto& call = calls->at(0).as_object();
      CHECK(call.at("index") == 0);
      ids.emplace_back(call.at("id").as_string());
      arguments += call.at("function").at("arguments").as_string();
    }
  }
  CHECK(arguments == R"({"city":"Hangzhou"})");
  CHECK(ids == std::vector<std::string>{"call_1", "", ""});
  CHECK(finish == "tool_calls");

  auto whole = client->Post("/v1/chat/completions", bearer("sk-test"), chat_body("MiniMax-M2.5", "weather?", false),
                            "application/json");
  REQUIRE(whole);
  const auto message = parse(whole->body).at("choices").at(0).at("message").as_object();
  CHECK(message.at("reasoning_content") == "Thinking it over.");
  CHECK(message.at("tool_calls").at(0).at("function").at("name") == "get_weather");
  CHECK(message.at("tool_calls").at(0).at("function").at("arguments") == R"({"city":"Hangzhou"})");
}

TEST_CASE("emulator: error replies carry DashScope's bodies and a request id matching the header", "[emulator]") {
  Emulator emulator;
  emulator.add_valid_key("sk-good");
  auto client = client_for(emulator);
  const auto post = [&](const std::string& key, const std::string& model = "qwen3.5-plus") {
    return client->Post("/compatible-mode/v1/chat/completions", bearer(key), chat_body(model, "hi", true),
                        "application/json");
  };

  auto wrong_key = post("sk-other");
  REQUIRE(wrong_key);
  CHECK(wrong_key->status == 401);
  const auto error = parse(wrong_key->body);
  CHECK(error.at("error").at("code") == "invalid_api_key");
  CHECK(error.at("request_id").as_string() == wrong_key->get_header_value("x-request-id"));
  CHECK(post(std::string(dashscope_emulator::kInvalidKey))->status == 401);

  emulator.push_chat({.fault = dashscope_emulator::Http429{.retry_after_seconds = 3}});
  auto limited = post("sk-good");
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "3");
  CHECK(parse(limited->body).at("error").at("code") == "limit_requests");

  emulator.set_models_unsupported_on_plan({"qwen3.6-plus"});
  auto unsupported = post("sk-good", "qwen3.6-plus");
  REQUIRE(unsupported);
  CHECK(unsupported->status == 400);
  CHECK(parse(unsupported->body).at("error").at("code") == "model_not_supported");
  CHECK(emulator.requests("/compatible-mode/v1/chat/completions").size() == 4);
}

TEST_CASE("emulator: a reset mid-stream drops the connection after the scripted events", "[emulator]") {
  const bool tls = GENERATE(false, true);
  Emulator emulator(EmulatorOptions{.tls = tls});
  emulator.push_chat({.content = "one two three four", .content_chunks = 4,
                      .fault = dashscope_emulator::ResetMidStream{.after_chunks = 3}});
  auto client = client_for(emulator);

  std::string received;
  httplib::Request request;
  request.method = "POST";
  request.path = "/compatible-mode/v1/chat/completions";
  request.headers = bearer("sk-test");
  request.body = chat_body("qwen3.5-plus", "hi", true);
  request.set_header("Content-Type", "application/json");
  request.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    received.append(data, size);
    return true;
  };
  const auto result = client->send(request);
  CHECK_FALSE(result);
  const auto events = sse_data(received);
  REQUIRE(events.size() == 3);
  CHECK(delta_text(events, "content") == "one two th");  // role event, then "one t", "wo th"
}

TEST_CASE("emulator: a truncated stream ends without DONE and a malformed chunk is not JSON", "[emulator]") {
  Emulator emulator;
  emulator.push_chat({.fault = dashscope_emulator::TruncatedNoDone{.after_chunks = 2}});
  emulator.push_chat({.fault = dashscope_emulator::MalformedJsonChunk{.after_chunks = 1}});
  auto client = client_for(emulator);
  const auto stream = [&] {
    return client->Post("/v1/chat/completions", bearer("sk-test"), chat_body("qwen3.5-plus", "hi", true),
                        "application/json");
  };

  auto truncated = stream();
  REQUIRE(truncated);
  CHECK(truncated->status == 200);
  CHECK(sse_data(truncated->body).size() == 2);

  auto malformed = stream();
  REQUIRE(malformed);
  const auto events = sse_data(malformed->body);
  REQUIRE(events.size() == 7);  // role, the broken event, 3 deltas, finish, DONE
  boost::system::error_code ec;
  json::parse(events[1], ec);
  CHECK(ec);
  CHECK(events.back() == "[DONE]");
}

TEST_CASE("emulator: vision models report the image and video parts they received", "[emulator]") {
  Emulator emulator;
  auto client = client_for(emulator);
  json::array parts{json::object{{"type", "text"}, {"text", "what is this"}},
                    json::object{{"type", "image_url"}, {"image_url", json::object{{"url", "https://x/a.png"}}}},
                    json::object{{"type", "image_url"}, {"image_url", json::object{{"url", "https://x/b.png"}}}},
                    json::object{{"type", "video_url"}, {"video_url", json::object{{"url", "https://x/c.mp4"}}}}};
  const json::object body{{"model", "qwen-vl-max-latest"},
                          {"messages", json::array{json::object{{"role", "user"}, {"content", parts}}}}};
  auto result = client->Post("/compatible-mode/v1/chat/completions", bearer("sk-test"), json::serialize(body),
                             "application/json");
  REQUIRE(result);
  CHECK(parse(result->body).at("choices").at(0).at("message").at("content") ==
        "Echo from qwen-vl-max-latest (images: 2, videos: 1): what is this");
}

TEST_CASE("emulator: stopping the emulator ends a stalled stream and idle connections promptly", "[emulator]") {
  auto emulator = std::make_unique<Emulator>();
  emulator->push_chat({.fault = dashscope_emulator::Stall{.after_chunks = 1, .duration = 60s}});
  httplib::Client idle(emulator->origin());
  idle.set_keep_alive(true);
  REQUIRE(idle.Get("/authorize"));  // leaves a kept-alive connection behind

  auto stalled = std::async(std::launch::async, [origin = emulator->origin()] {
    httplib::Client client(origin);
    client.set_read_timeout(30, 0);
    return client.Post("/v1/chat/completions", bearer("sk-test"), chat_body("qwen3.5-plus", "hi", true),
                       "application/json");
  });
  std::this_thread::sleep_for(200ms);

  const auto started = std::chrono::steady_clock::now();
  emulator.reset();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(stalled.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("emulator: a video task goes from PENDING to RUNNING to SUCCEEDED and its result downloads byte for byte", "[emulator]") {
  Emulator emulator(EmulatorOptions{.tls = true});
  emulator.push_video({.pending_polls = 1, .running_polls = 2, .result_size = 300000});
  auto client = client_for(emulator);
  const std::string submit_path = "/api/v1/services/aigc/video-generation/video-synthesis";
  const std::string submit_body = R"({"model":"wan2.6-t2v","input":{"prompt":"a cat"},"parameters":{"duration":5}})";
  auto async = bearer("sk-test");
  async.emplace("X-DashScope-Async", "enable");

  auto coding_plan_key = bearer("sk-sp-123");
  coding_plan_key.emplace("X-DashScope-Async", "enable");
  auto refused = client->Post(submit_path, coding_plan_key, submit_body, "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 401);
  CHECK(parse(refused->body).at("code") == "InvalidApiKey");

  auto sync = client->Post(submit_path, bearer("sk-test"), submit_body, "application/json");
  REQUIRE(sync);
  CHECK(sync->status == 403);
  CHECK(parse(sync->body).at("code") == "AccessDenied");

  auto submitted = client->Post(submit_path, async, submit_body, "application/json");
  REQUIRE(submitted);
  REQUIRE(submitted->status == 200);
  const auto output = parse(submitted->body).at("output").as_object();
  CHECK(output.at("task_status") == "PENDING");
  const std::string task_id(output.at("task_id").as_string());

  std::vector<std::string> statuses;
  json::object last;
  for (int i = 0; i < 4; ++i) {
    auto polled = client->Get("/api/v1/tasks/" + task_id, bearer("sk-test"));
    REQUIRE(polled);
    last = parse(polled->body);
    statuses.emplace_back(last.at("output").at("task_status").as_string());
  }
  CHECK(statuses == std::vector<std::string>{"PENDING", "RUNNING", "RUNNING", "SUCCEEDED"});
  CHECK(last.at("usage").at("video_count") == 1);
  CHECK(emulator.task_polls(task_id) == 4);

  const std::string url(last.at("output").at("video_url").as_string());
  REQUIRE(url.rfind(emulator.origin() + "/results/", 0) == 0);
  auto video = client->Get(url.substr(emulator.origin().size()));
  REQUIRE(video);
  CHECK(video->status == 200);
  CHECK(video->body == dashscope_emulator::result_bytes(task_id + ".mp4", 300000));

  auto unknown = client->Get("/api/v1/tasks/no-such-task", bearer("sk-test"));
  REQUIRE(unknown);
  CHECK(parse(unknown->body).at("output").at("task_status") == "UNKNOWN");
}

TEST_CASE("emulator: failed tasks and expired or broken downloads look like DashScope and OSS", "[emulator]") {
  Emulator emulator;
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .outcome = dashscope_emulator::VideoOutcome::Failed,
                       .failure_code = "DataInspectionFailed", .failure_message = "Input data may contain inappropriate content."});
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_expired = true});
  emulator.push_video({.pending_polls = 0, .running_polls = 0, .result_size = 200000, .reset_download_after = 100000});
  auto client = client_for(emulator);
  auto headers = bearer("sk-test");
  headers.emplace("X-DashScope-Async", "enable");
  const auto run_task = [&] {
    auto submitted = client->Post("/api/v1/services/aigc/video-generation/video-synthesis", headers,
                                  R"({"model":"wan2.6-t2v","input":{"prompt":"x"}})", "application/json");
    const std::string id(parse(submitted->body).at("output").at("task_id").as_string());
    return parse(client->Get("/api/v1/tasks/" + id, headers)->body).at("output").as_object();
  };

  const auto failed = run_task();
  CHECK(failed.at("task_status") == "FAILED");
  CHECK(failed.at("code") == "DataInspectionFailed");

  const auto expired = run_task();
  REQUIRE(expired.at("task_status") == "SUCCEEDED");
  auto gone = client->Get(std::string(expired.at("video_url").as_string()).substr(emulator.origin().size()));
  REQUIRE(gone);
  CHECK(gone->status == 403);
  CHECK(gone->body.find("<Code>AccessDenied</Code>") != std::string::npos);
  CHECK(gone->body.find("Request has expired.") != std::string::npos);

  const auto broken = run_task();
  auto cut = client->Get(std::string(broken.at("video_url").as_string()).substr(emulator.origin().size()));
  CHECK_FALSE(cut);
}

TEST_CASE("emulator: the Qwen Portal device flow checks PKCE then issues tokens that work for chat", "[emulator]") {
  Emulator emulator(EmulatorOptions{.tls = true});
  emulator.add_valid_key("sk-only-this-one");
  emulator.push_device_auth({.pending_replies = 2, .slow_down_replies = 1});
  auto client = client_for(emulator);
  const std::string client_id(dashscope_emulator::kQwenOAuthClientId);
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  REQUIRE(dashscope_emulator::pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

  auto device = client->Post("/api/v1/oauth2/device/code",
                             httplib::Params{{"client_id", client_id},
                                             {"scope", "openid profile email model.completion"},
                                             {"code_challenge", dashscope_emulator::pkce_challenge(verifier)},
                                             {"code_challenge_method", "S256"}});
  REQUIRE(device);
  REQUIRE(device->status == 200);
  const auto grant = parse(device->body);
  const std::string device_code(grant.at("device_code").as_string());
  CHECK(grant.at("verification_uri_complete").as_string().find("user_code=") != json::string::npos);

  const auto poll = [&](const std::string& code_verifier) {
    return client->Post("/api/v1/oauth2/token",
                        httplib::Params{{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                                        {"client_id", client_id},
                                        {"device_code", device_code},
                                        {"code_verifier", code_verifier}});
  };
  auto wrong = poll("not-the-verifier");
  CHECK(wrong->status == 400);
  CHECK(parse(wrong->body).at("error") == "invalid_grant");

  auto slow = poll(verifier);
  CHECK(slow->status == 429);
  CHECK(parse(slow->body).at("error") == "slow_down");
  CHECK(parse(poll(verifier)->body).at("error") == "authorization_pending");
  CHECK(parse(poll(verifier)->body).at("error") == "authorization_pending");
  auto granted = poll(verifier);
  REQUIRE(granted->status == 200);
  const auto tokens = parse(granted->body);
  const std::string access(tokens.at("access_token").as_string());
  const std::string refresh(tokens.at("refresh_token").as_string());
  CHECK(tokens.at("resource_url").as_string() == "127.0.0.1:" + std::to_string(emulator.port()));

  auto chat = client->Post("/v1/chat/completions", bearer(access), chat_body("qwen3.5-plus", "hi", false),
                           "application/json");
  CHECK(chat->status == 200);

  const auto refresh_with = [&](const std::string& token) {
    return client->Post("/api/v1/oauth2/token", httplib::Params{{"grant_type", "refresh_token"},
                                                                {"client_id", client_id},
                                                                {"refresh_token", token}});
  };
  auto refreshed = refresh_with(refresh);
  REQUIRE(refreshed->status == 200);
  CHECK(parse(refreshed->body).at("refresh_token").as_string() != refresh);
  auto reused = refresh_with(refresh);  // rotated away
  CHECK(reused->status == 400);
  CHECK(parse(reused->body).at("error") == "invalid_grant");
  CHECK(emulator.refresh_calls() == 2);

  SECTION("two concurrent refreshes of one token: the later one finds it rotated away") {
    const std::string current(parse(refreshed->body).at("refresh_token").as_string());
    emulator.push_refresh({.delay = 300ms});
    auto first = std::async(std::launch::async, [&] {
      httplib::Client other(emulator.origin());
      other.set_ca_cert_path(emulator.ca_cert_path());
      return other.Post("/api/v1/oauth2/token", httplib::Params{{"grant_type", "refresh_token"},
                                                                {"client_id", client_id},
                                                                {"refresh_token", current}})->status;
    });
    std::this_thread::sleep_for(100ms);
    const int second = refresh_with(current)->status;
    CHECK(first.get() + second == 200 + 400);
    CHECK(emulator.refresh_calls() == 4);
  }
}
