#include "chat_request.hpp"

#include <boost/json.hpp>

#include <array>

namespace openclaw::qwen::chat {

namespace json = boost::json;

namespace {

// Host-side keys that never go upstream: the model and stream flags are set
// here, and OpenAI-style reasoning knobs mean nothing to DashScope (thinking
// maps to enable_thinking instead).
constexpr std::array<std::string_view, 9> kNotForwarded{
    "model", "messages", "stream", "stream_options", "thinking",
    "reasoning_effort", "reasoning", "enable_thinking", "vl_high_resolution_images"};

bool is_image_part(const json::value& part) {
  if (!part.is_object()) return false;
  const auto* type = part.as_object().if_contains("type");
  return type != nullptr && type->is_string() &&
         (type->as_string() == "image_url" || type->as_string() == "image");
}

json::object text_part(std::string_view text) { return json::object{{"type", "text"}, {"text", text}}; }

const json::object kEphemeral{{"type", "ephemeral"}};

// String content becomes one text part, so a part can carry cache_control.
json::array& content_as_parts(json::object& message) {
  auto& content = message["content"];
  if (content.is_string()) {
    const std::string text(content.as_string());
    content = json::array{text_part(text)};
  } else if (!content.is_array()) {
    content = json::array{};
  }
  return content.as_array();
}

// Marks the last text part of a message's content with cache_control.
void mark_last_text_part(json::object& message) {
  auto& parts = content_as_parts(message);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!it->is_object()) continue;
    auto& part = it->as_object();
    const auto* type = part.if_contains("type");
    if (type != nullptr && type->is_string() && type->as_string() == "text") {
      part["cache_control"] = kEphemeral;
      return;
    }
  }
}

std::string_view role_of(const json::value& message) {
  if (!message.is_object()) return {};
  const auto* role = message.as_object().if_contains("role");
  return role != nullptr && role->is_string() ? std::string_view(role->as_string()) : std::string_view();
}

json::array transform_messages(const json::array& input, const ChatTarget& target) {
  json::array messages = input;
  const bool images_allowed = target.model.accepts_images();
  for (auto& value : messages) {
    if (!value.is_object()) continue;
    auto& message = value.as_object();
    auto* content = message.if_contains("content");
    if (!images_allowed && content != nullptr && content->is_array()) {
      for (auto& part : content->as_array()) {
        if (is_image_part(part)) part = text_part(kImageOmittedText);
      }
    }
    // The Portal takes content as text parts throughout.
    if (target.portal && content != nullptr && content->is_string()) content_as_parts(message);
  }

  const bool native = target.endpoint && target.endpoint->is_native_dashscope();
  if (native || target.portal) {
    // The last system message carries the cacheable prefix.
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (role_of(*it) == "system") {
        mark_last_text_part(it->as_object());
        break;
      }
    }
  }
  if (native) {
    // DashScope's explicit context cache: the last user turn ends the
    // prefix that the next request will repeat.
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (role_of(*it) == "user") {
        mark_last_text_part(it->as_object());
        break;
      }
    }
  }
  return messages;
}

} // namespace

bool thinking_enabled(const json::object& request) {
  const auto* level = request.if_contains("thinking");
  if (level == nullptr || !level->is_string()) return true;
  return level->as_string() != "off" && level->as_string() != "none";
}

json::object build_chat_body(const json::object& request, const ChatTarget& target) {
  json::object body;
  body["model"] = target.model.id;
  const auto* messages = request.if_contains("messages");
  body["messages"] = transform_messages(
      messages != nullptr && messages->is_array() ? messages->as_array() : json::array{}, target);

  for (const auto& [key, value] : request) {
    const std::string_view name = key;
    bool skip = false;
    for (const auto forbidden : kNotForwarded) skip = skip || name == forbidden;
    if (!skip) body[key] = value;
  }

  const auto* stream = request.if_contains("stream");
  const bool streaming = stream != nullptr && stream->is_bool() && stream->as_bool();
  body["stream"] = streaming;
  if (streaming && target.endpoint && target.endpoint->is_native_dashscope()) {
    body["stream_options"] = json::object{{"include_usage", true}};
  }
  if (target.model.reasoning) body["enable_thinking"] = thinking_enabled(request);
  if (target.portal) body["vl_high_resolution_images"] = true;
  return body;
}

} // namespace openclaw::qwen::chat
