#include "chat_wire.hpp"

#include <algorithm>

#include "wire.hpp"

namespace dashscope_emulator::detail {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

// Every chunk carries the same envelope; DashScope sends "usage":null on all
// but the final usage-only chunk.
json::object chunk_envelope(const ChatReply& reply, json::array choices, json::value usage) {
  json::object chunk;
  chunk["choices"] = std::move(choices);
  chunk["object"] = "chat.completion.chunk";
  chunk["usage"] = std::move(usage);
  chunk["created"] = reply.created;
  chunk["system_fingerprint"] = nullptr;
  chunk["model"] = reply.model;
  chunk["id"] = reply.id;
  return chunk;
}

std::string delta_event(const ChatReply& reply, json::object delta, json::value finish_reason = nullptr) {
  json::object choice;
  choice["delta"] = std::move(delta);
  choice["index"] = 0;
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = std::move(finish_reason);
  json::array choices;
  choices.push_back(std::move(choice));
  return json::serialize(chunk_envelope(reply, std::move(choices), nullptr));
}

json::object usage_json(const ResolvedUsage& usage) {
  json::object out;
  out["prompt_tokens"] = usage.prompt_tokens;
  out["completion_tokens"] = usage.completion_tokens;
  out["total_tokens"] = usage.prompt_tokens + usage.completion_tokens;
  if (usage.cached_tokens >= 0) out["prompt_tokens_details"] = json::object{{"cached_tokens", usage.cached_tokens}};
  if (usage.reasoning_tokens >= 0) {
    out["completion_tokens_details"] = json::object{{"reasoning_tokens", usage.reasoning_tokens}};
  }
  return out;
}

}  // namespace

std::vector<std::string> split_utf8(std::string_view text, int pieces) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  const std::size_t count = static_cast<std::size_t>(std::max(pieces, 1));
  const std::size_t target = (text.size() + count - 1) / count;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + target);
    while (end < text.size() && is_continuation_byte(text[end])) ++end;
    out.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

std::vector<std::string> stream_events(const ChatReply& reply, bool include_usage) {
  std::vector<std::string> events;

  json::object role;
  if (reply.reasoning.empty()) {
    role["content"] = "";
    role["role"] = "assistant";
  } else {
    role["content"] = nullptr;
    role["role"] = "assistant";
    role["reasoning_content"] = "";
  }
  events.push_back(delta_event(reply, std::move(role)));

  for (auto& piece : split_utf8(reply.reasoning, reply.reasoning_chunks)) {
    json::object delta;
    delta["content"] = nullptr;
    delta["reasoning_content"] = piece;
    events.push_back(delta_event(reply, std::move(delta)));
  }
  if (reply.content) {
    for (auto& piece : split_utf8(*reply.content, reply.content_chunks)) {
      json::object delta;
      delta["content"] = piece;
      events.push_back(delta_event(reply, std::move(delta)));
    }
  }
  for (std::size_t i = 0; i < reply.tool_calls.size(); ++i) {
    const ToolCallScript& call = reply.tool_calls[i];
    auto fragments = split_utf8(call.arguments, call.argument_chunks);
    if (fragments.empty()) fragments.emplace_back();
    for (std::size_t f = 0; f < fragments.size(); ++f) {
      json::object function;
      if (f == 0) function["name"] = call.name;
      function["arguments"] = fragments[f];
      json::object tool;
      tool["index"] = i;
      // DashScope repeats the call with an empty id after its first delta.
      tool["id"] = f == 0 ? call.id : std::string();
      tool["type"] = "function";
      tool["function"] = std::move(function);
      json::object delta;
      delta["content"] = nullptr;
      delta["tool_calls"] = json::array{std::move(tool)};
      events.push_back(delta_event(reply, std::move(delta)));
    }
  }

  events.push_back(delta_event(reply, json::object{{"content", ""}}, json::string(reply.finish_reason)));
  if (include_usage) {
    events.push_back(json::serialize(chunk_envelope(reply, json::array{}, usage_json(reply.usage))));
  }
  return events;
}

std::string completion_body(const ChatReply& reply) {
  json::object message;
  message["role"] = "assistant";
  // With tool calls and no text DashScope answers "content": "".
  message["content"] = reply.content ? json::value(json::string(*reply.content)) : json::value(json::string());
  if (!reply.reasoning.empty()) message["reasoning_content"] = reply.reasoning;
  if (!reply.tool_calls.empty()) {
    json::array calls;
    for (std::size_t i = 0; i < reply.tool_calls.size(); ++i) {
      const ToolCallScript& call = reply.tool_calls[i];
      json::object tool;
      tool["index"] = i;
      tool["id"] = call.id;
      tool["type"] = "function";
      tool["function"] = json::object{{"name", call.name}, {"arguments", call.arguments}};
      calls.push_back(std::move(tool));
    }
    message["tool_calls"] = std::move(calls);
  }
  json::object choice;
  choice["message"] = std::move(message);
  choice["finish_reason"] = reply.finish_reason;
  choice["index"] = 0;
  choice["logprobs"] = nullptr;

  json::object body;
  body["choices"] = json::array{std::move(choice)};
  body["object"] = "chat.completion";
  body["usage"] = usage_json(reply.usage);
  body["created"] = reply.created;
  body["system_fingerprint"] = nullptr;
  body["model"] = reply.model;
  body["id"] = reply.id;
  return json::serialize(body);
}

}  // namespace dashscope_emulator::detail
