#include "chat_response.hpp"

#include <openclaw/json_fields.hpp>

#include <boost/json.hpp>

namespace openclaw::qwen::chat {

namespace json = boost::json;
using openclaw::json_fields::string_view_at;

namespace {

std::uint64_t count_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_number()) return 0;
  json::error_code ec;
  const auto count = value->to_number<std::uint64_t>(ec);
  return ec ? 0 : count;
}

Usage usage_of(const json::object& usage) {
  Usage out;
  out.prompt_tokens = count_at(usage, "prompt_tokens");
  out.completion_tokens = count_at(usage, "completion_tokens");
  out.total_tokens = count_at(usage, "total_tokens");
  if (const auto* details = usage.if_contains("prompt_tokens_details"); details && details->is_object()) {
    out.cached_tokens = count_at(details->as_object(), "cached_tokens");
  }
  if (const auto* details = usage.if_contains("completion_tokens_details"); details && details->is_object()) {
    out.reasoning_tokens = count_at(details->as_object(), "reasoning_tokens");
  }
  if (out.total_tokens == 0) out.total_tokens = out.prompt_tokens + out.completion_tokens;
  return out;
}

// An error object inside a 200 stream or body: DashScope sends these when a
// request fails after the status line went out.
std::optional<PluginError> embedded_error(const json::object& object) {
  const auto* error = object.if_contains("error");
  if (error == nullptr || error->is_null()) return std::nullopt;
  std::string message = "The Qwen API reported an error mid-answer";
  if (error->is_object()) {
    const auto text = string_view_at(error->as_object(), "message");
    if (!text.empty()) message += ": " + std::string(text);
  }
  auto out = make_error(OC_ERR_UPSTREAM, message + ".", "Try again; if it persists, check the model and request.");
  out.request_id = std::string(string_view_at(object, "request_id"));
  return out;
}

bool emit_tool_calls(const json::value* calls, EventSink& events) {
  if (calls == nullptr || !calls->is_array()) return true;
  std::uint32_t position = 0;
  for (const auto& call_value : calls->as_array()) {
    if (!call_value.is_object()) continue;
    const auto& call = call_value.as_object();
    const auto* index = call.if_contains("index");
    const auto call_index = index != nullptr && index->is_number()
                                ? index->to_number<std::uint32_t>()
                                : position;
    std::string_view name, arguments;
    if (const auto* function = call.if_contains("function"); function && function->is_object()) {
      name = string_view_at(function->as_object(), "name");
      arguments = string_view_at(function->as_object(), "arguments");
    }
    if (!events.tool_call(call_index, string_view_at(call, "id"), name, arguments)) return false;
    ++position;
  }
  return true;
}

} // namespace

Status StreamDecoder::on_data(std::string_view data) {
  if (saw_done_) return Ok{}; // nothing after [DONE] belongs to the answer
  if (data == "[DONE]") {
    saw_done_ = true;
    return Ok{};
  }
  json::error_code ec;
  // Each chunk's tree lives in a stack buffer (spilling to the heap only
  // for unusually large chunks): no allocation per token in the common case.
  unsigned char scratch[4096];
  json::monotonic_resource chunk_memory(scratch, sizeof scratch);
  parser_.reset(&chunk_memory);
  parser_.write(data.data(), data.size(), ec); // expects one complete JSON text
  if (ec) {
    return make_error(OC_ERR_UPSTREAM, "The Qwen API sent a malformed stream chunk (" + ec.message() + ").",
                      "Try again; the answer so far was delivered.");
  }
  const auto chunk = parser_.release();
  if (!chunk.is_object()) return make_error(OC_ERR_UPSTREAM, "The Qwen API sent a stream chunk that is not an object.");
  const auto& object = chunk.as_object();
  if (auto error = embedded_error(object)) return *error;
  if (response_id_.empty()) response_id_ = std::string(string_view_at(object, "id"));
  if (const auto* usage = object.if_contains("usage"); usage && usage->is_object()) {
    usage_ = usage_of(usage->as_object());
    saw_usage_ = true;
  }
  const auto* choices = object.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return Ok{};
  for (const auto& choice_value : choices->as_array()) {
    if (!choice_value.is_object()) continue;
    const auto& choice = choice_value.as_object();
    const auto* index_value = choice.if_contains("index");
    const auto index = index_value && index_value->is_number() ? index_value->to_number<std::uint32_t>() : 0u;
    if (const auto* delta = choice.if_contains("delta"); delta && delta->is_object()) {
      const auto& d = delta->as_object();
      if (const auto reasoning = string_view_at(d, "reasoning_content"); !reasoning.empty()) {
        delivered_ = true;
        if (!events_.reasoning(reasoning, index)) return Ok{};
      }
      if (const auto content = string_view_at(d, "content"); !content.empty()) {
        delivered_ = true;
        if (!events_.text(content, index)) return Ok{};
      }
      if (const auto* calls = d.if_contains("tool_calls"); calls && calls->is_array() && !calls->as_array().empty()) {
        delivered_ = true;
        if (!emit_tool_calls(calls, events_)) return Ok{};
      }
    }
    if (const auto reason = string_view_at(choice, "finish_reason"); !reason.empty()) finish_reason_ = reason;
  }
  return Ok{};
}

Status StreamDecoder::finish(std::string_view request_id) {
  if (!saw_done_) {
    auto error = make_error(OC_ERR_NETWORK,
                            "The answer stream ended before it was complete (no [DONE] from the Qwen API).",
                            "Try again; what arrived so far was delivered.");
    error.request_id = std::string(request_id);
    return error;
  }
  if (saw_usage_ && !events_.usage(usage_)) return Ok{};
  events_.done(finish_reason_.empty() ? "stop" : finish_reason_, response_id_, request_id);
  return Ok{};
}

Status decode_completion(std::string_view body, std::string_view request_id, EventSink& events) {
  json::error_code ec;
  const auto document = json::parse(body, ec);
  if (ec || !document.is_object()) {
    auto error = make_error(OC_ERR_UPSTREAM, "The Qwen API answered with a body that is not JSON.",
                            "Try again; if it persists, check the base URL points at a Qwen endpoint.");
    error.request_id = std::string(request_id);
    return error;
  }
  const auto& object = document.as_object();
  if (auto error = embedded_error(object)) return *error;
  std::string finish_reason = "stop";
  if (const auto* choices = object.if_contains("choices"); choices && choices->is_array()) {
    for (const auto& choice_value : choices->as_array()) {
      if (!choice_value.is_object()) continue;
      const auto& choice = choice_value.as_object();
      const auto* index_value = choice.if_contains("index");
      const auto index = index_value && index_value->is_number() ? index_value->to_number<std::uint32_t>() : 0u;
      if (const auto* message = choice.if_contains("message"); message && message->is_object()) {
        const auto& m = message->as_object();
        if (const auto reasoning = string_view_at(m, "reasoning_content"); !reasoning.empty()) {
          if (!events.reasoning(reasoning, index)) return Ok{};
        }
        if (const auto content = string_view_at(m, "content"); !content.empty()) {
          if (!events.text(content, index)) return Ok{};
        }
        if (!emit_tool_calls(m.if_contains("tool_calls"), events)) return Ok{};
      }
      if (const auto reason = string_view_at(choice, "finish_reason"); !reason.empty()) finish_reason = reason;
    }
  }
  if (const auto* usage = object.if_contains("usage"); usage && usage->is_object()) {
    if (!events.usage(usage_of(usage->as_object()))) return Ok{};
  }
  events.done(finish_reason, string_view_at(object, "id"), request_id);
  return Ok{};
}

} // namespace openclaw::qwen::chat
