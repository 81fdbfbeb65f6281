// Chat completions in DashScope's OpenAI-compatible mode: key check, request
// parsing, the scripted reply or fault, streamed (SSE) or whole.
#include <algorithm>
#include <chrono>
#include <variant>

#include "chat_wire.hpp"
#include "http_server.hpp"
#include "routes.hpp"
#include "shared_state.hpp"
#include "wire.hpp"

namespace dashscope_emulator::detail {

namespace {

// What the emulator needs to know about a chat request.
struct ChatRequest {
  std::string model;
  bool stream = false;
  bool include_usage = false;
  std::string last_user_text;
  int images = 0;
  int videos = 0;
  std::size_t prompt_bytes = 0;  // text bytes over all messages, for computed usage
};

int tokens_for(std::size_t bytes) { return static_cast<int>(std::max<std::size_t>(1, (bytes + 3) / 4)); }

bool is_true(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

// Collects text, and counts image and video parts, of one message content
// (a string or an array of OpenAI-style parts).
std::string scan_content(const json::value& content, ChatRequest& request) {
  if (content.is_string()) return std::string(content.as_string());
  std::string text;
  if (!content.is_array()) return text;
  for (const auto& part : content.as_array()) {
    if (!part.is_object()) continue;
    const auto* type = part.as_object().if_contains("type");
    const std::string_view kind = type != nullptr && type->is_string() ? std::string_view(type->as_string()) : "";
    if (kind == "text") {
      if (const auto* value = part.as_object().if_contains("text"); value != nullptr && value->is_string()) {
        if (!text.empty()) text += ' ';
        text += value->as_string();
      }
    } else if (kind == "image_url" || kind == "image" || kind == "input_image") {
      ++request.images;
    } else if (kind == "video_url" || kind == "video") {
      ++request.videos;
    }
  }
  return text;
}

// Fills `request` from the body; on a bad body returns the 400 to send.
std::optional<HttpResponse> parse_chat_request(const std::string& body, ChatRequest& request,
                                               const std::string& request_id) {
  bool ok = false;
  const json::object object = parse_object(body, ok);
  if (!ok) {
    return compatible_error(400, "invalid_parameter_error", "invalid_request_error",
                            "The request body is not a valid JSON object.", request_id);
  }
  const auto* model = object.if_contains("model");
  if (model == nullptr || !model->is_string() || model->as_string().empty()) {
    return compatible_error(400, "invalid_parameter_error", "invalid_request_error",
                            "Required parameter \"model\" missing from request.", request_id);
  }
  request.model = std::string(model->as_string());
  const auto* messages = object.if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->as_array().empty()) {
    return compatible_error(400, "invalid_parameter_error", "invalid_request_error",
                            "Required parameter \"messages\" missing from request.", request_id);
  }
  for (const auto& message : messages->as_array()) {
    if (!message.is_object()) continue;
    const auto* content = message.as_object().if_contains("content");
    if (content == nullptr) continue;
    std::string text = scan_content(*content, request);
    request.prompt_bytes += text.size();
    const auto* role = message.as_object().if_contains("role");
    if (role != nullptr && role->is_string() && role->as_string() == "user") request.last_user_text = std::move(text);
  }
  request.stream = is_true(object, "stream");
  if (const auto* options = object.if_contains("stream_options"); options != nullptr && options->is_object()) {
    request.include_usage = is_true(options->as_object(), "include_usage");
  }
  return std::nullopt;
}

std::string default_reply_text(const ChatRequest& request) {
  std::string text = "Echo from " + request.model;
  if (request.model.starts_with("qwen-vl") || request.images > 0 || request.videos > 0) {
    text += " (images: " + std::to_string(request.images) + ", videos: " + std::to_string(request.videos) + ")";
  }
  return text + ": " + request.last_user_text;
}

ChatReply resolve_reply(const ChatScript& script, const ChatRequest& request, State& state) {
  ChatReply reply;
  reply.id = "chatcmpl-" + state.new_uuid();
  reply.model = request.model;
  reply.created = unix_seconds(std::chrono::system_clock::now());
  if (script.content) {
    reply.content = script.content;
  } else if (script.tool_calls.empty()) {
    reply.content = default_reply_text(request);
  }
  reply.content_chunks = script.content_chunks;
  reply.reasoning = script.reasoning;
  reply.reasoning_chunks = script.reasoning_chunks;
  reply.tool_calls = script.tool_calls;
  reply.finish_reason =
      !script.finish_reason.empty() ? script.finish_reason : (script.tool_calls.empty() ? "stop" : "tool_calls");

  std::size_t output_bytes = reply.content ? reply.content->size() : 0;
  for (const auto& call : script.tool_calls) output_bytes += call.name.size() + call.arguments.size();
  const int reasoning_tokens = script.reasoning.empty() ? 0 : tokens_for(script.reasoning.size());
  reply.usage.prompt_tokens =
      script.usage.prompt_tokens >= 0 ? script.usage.prompt_tokens : tokens_for(request.prompt_bytes);
  reply.usage.completion_tokens = script.usage.completion_tokens >= 0
                                      ? script.usage.completion_tokens
                                      : tokens_for(output_bytes) + reasoning_tokens;
  reply.usage.cached_tokens = script.usage.cached_tokens;
  if (!script.reasoning.empty()) {
    reply.usage.reasoning_tokens = script.usage.reasoning_tokens >= 0 ? script.usage.reasoning_tokens : reasoning_tokens;
  }
  return reply;
}

HttpResponse plan_error(const std::string& model, const std::string& request_id) {
  return compatible_error(400, "model_not_supported", "invalid_request_error",
                          "model '" + model + "' is not supported.", request_id);
}

// The reply for faults that replace the whole response; nullopt otherwise.
std::optional<HttpResponse> error_for(const ChatFault& fault, const ChatRequest& request,
                                      const std::string& request_id) {
  if (std::holds_alternative<Http401>(fault)) {
    return compatible_error(401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided. ",
                            request_id);
  }
  if (const auto* limited = std::get_if<Http429>(&fault)) {
    HttpResponse response = compatible_error(429, "limit_requests", "limit_requests",
                                             "Requests rate limit exceeded, please try again later.", request_id);
    if (limited->retry_after_seconds >= 0) {
      response.headers.emplace_back("Retry-After", std::to_string(limited->retry_after_seconds));
    }
    return response;
  }
  if (const auto* server = std::get_if<Http5xx>(&fault)) {
    if (server->status == 502 || server->status == 503 || server->status == 504) {
      return compatible_error(server->status, "service_unavailable", "service_unavailable",
                              "The service is temporarily unavailable, please try again later.", request_id);
    }
    return compatible_error(server->status, "internal_error", "internal_error",
                            "An internal error has occured, please try again later or contact service support.",
                            request_id);
  }
  if (std::holds_alternative<ModelNotSupportedOnPlan>(fault)) return plan_error(request.model, request_id);
  if (const auto* custom = std::get_if<HttpError>(&fault)) {
    return compatible_error(custom->status, custom->code, custom->type, custom->message, request_id);
  }
  return std::nullopt;
}

// Whether a stream fault of type `Fault` is due before event number `sent`.
template <class Fault>
bool fires_at(const ChatFault& fault, std::size_t sent) {
  const auto* f = std::get_if<Fault>(&fault);
  return f != nullptr && f->after_chunks >= 0 && static_cast<std::size_t>(f->after_chunks) == sent;
}

// A connection that just drops: what a client sees when the emulator stops
// in the middle of a scripted delay.
HttpResponse dropped_connection(const std::string& request_id) {
  HttpResponse response;
  response.headers.emplace_back("x-request-id", request_id);
  response.stream = [](BodyWriter& out, std::size_t, std::size_t) { out.abort(); };
  return response;
}

HttpResponse stream_reply(const ChatReply& reply, const ChatRequest& request, const ChatFault& fault,
                          State& state, const std::string& request_id) {
  HttpResponse response;
  response.content_type = "text/event-stream";  // exactly this: the library never compresses it
  response.headers.emplace_back("x-request-id", request_id);
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.stream = [events = stream_events(reply, request.include_usage), fault, &stop = state.stop](
                        BodyWriter& out, std::size_t, std::size_t) {
    const auto* slow = std::get_if<SlowChunks>(&fault);
    const auto* stall = std::get_if<Stall>(&fault);
    // Position `events.size()` is the [DONE] line, so faults can hit it too.
    for (std::size_t sent = 0; sent <= events.size(); ++sent) {
      if (fires_at<Stall>(fault, sent) && !stop.sleep_for(stall->duration)) return out.abort();
      if (slow != nullptr && !stop.sleep_for(slow->interval)) return out.abort();
      if (fires_at<ResetMidStream>(fault, sent)) return out.reset_connection();
      if (fires_at<TruncatedNoDone>(fault, sent)) return;
      if (fires_at<MalformedJsonChunk>(fault, sent)) {
        const std::string& whole = events[std::min(sent, events.size() - 1)];
        if (!out.write("data: " + whole.substr(0, whole.size() / 2) + "\n\n")) return;
      }
      const std::string frame = sent < events.size() ? "data: " + events[sent] + "\n\n" : "data: [DONE]\n\n";
      if (!out.write(frame)) return;
    }
  };
  return response;
}

HttpResponse whole_reply(const ChatReply& reply, const ChatFault& fault, const std::string& request_id) {
  std::string body = completion_body(reply);
  if (std::holds_alternative<TruncatedNoDone>(fault)) body.resize(body.size() / 2);
  if (std::holds_alternative<MalformedJsonChunk>(fault)) body = R"({"choices":[{"message":<<emulator: not JSON>>)";
  HttpResponse response;
  response.headers.emplace_back("x-request-id", request_id);
  if (std::holds_alternative<ResetMidStream>(fault)) {
    // Announce the whole body, send half of it, then reset.
    response.content_length = body.size();
    response.stream = [body](BodyWriter& out, std::size_t offset, std::size_t length) {
      const std::size_t half = offset + length / 2;
      if (out.write(std::string_view(body).substr(offset, half - offset))) out.reset_connection();
    };
    return response;
  }
  response.body = std::move(body);
  return response;
}

HttpResponse handle_chat(const HttpRequest& http, State& state) {
  const std::string request_id = state.new_uuid();
  {
    std::lock_guard lock(state.mutex);
    if (state.check_key(bearer_key(http)) != KeyVerdict::Accepted) {
      return compatible_error(401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided. ",
                              request_id);
    }
  }
  ChatRequest request;
  if (auto bad = parse_chat_request(http.body, request, request_id)) return std::move(*bad);

  ChatScript script;
  {
    std::lock_guard lock(state.mutex);
    if (state.unsupported_models.contains(request.model)) return plan_error(request.model, request_id);
    if (!state.chat_scripts.empty()) {
      script = std::move(state.chat_scripts.front());
      state.chat_scripts.pop_front();
    }
  }
  if (auto error = error_for(script.fault, request, request_id)) return std::move(*error);

  // Delays before the first byte: a stall, or (non-streaming) a slow reply.
  const auto* stall = std::get_if<Stall>(&script.fault);
  const auto* slow = std::get_if<SlowChunks>(&script.fault);
  if (stall != nullptr && (stall->after_chunks < 0 || !request.stream) && !state.stop.sleep_for(stall->duration)) {
    return dropped_connection(request_id);
  }
  if (slow != nullptr && !request.stream && !state.stop.sleep_for(slow->interval)) {
    return dropped_connection(request_id);
  }

  const ChatReply reply = resolve_reply(script, request, state);
  if (!request.stream) return whole_reply(reply, script.fault, request_id);
  // The handler already served a before-first-byte stall.
  ChatFault stream_fault = script.fault;
  if (stall != nullptr && stall->after_chunks < 0) stream_fault = std::monostate{};
  return stream_reply(reply, request, stream_fault, state, request_id);
}

}  // namespace

void add_chat_routes(HttpServer& server, State& state) {
  auto handler = [&state](const HttpRequest& request) { return handle_chat(request, state); };
  server.route("POST", "/compatible-mode/v1/chat/completions", handler);
  server.route("POST", "/v1/chat/completions", handler);
}

}  // namespace dashscope_emulator::detail
