// The JSON of compatible-mode chat replies: stream chunks and the
// non-streaming chat.completion object, built from a resolved reply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dashscope_emulator/emulator.hpp"

namespace dashscope_emulator::detail {

struct ResolvedUsage {
  int prompt_tokens = 0;
  int completion_tokens = 0;
  int cached_tokens = -1;     // < 0: no prompt_tokens_details
  int reasoning_tokens = -1;  // < 0: no completion_tokens_details
};

// Everything a reply needs, defaults filled in.
struct ChatReply {
  std::string id;             // "chatcmpl-..."
  std::string model;
  std::int64_t created = 0;   // Unix seconds
  std::optional<std::string> content;  // nullopt: JSON null
  int content_chunks = 1;
  std::string reasoning;
  int reasoning_chunks = 1;
  std::vector<ToolCallScript> tool_calls;
  std::string finish_reason;
  ResolvedUsage usage;
};

// Splits `text` into at most `pieces` parts of similar size without cutting
// a UTF-8 sequence; empty text gives no parts.
std::vector<std::string> split_utf8(std::string_view text, int pieces);

// The JSON text of every `data:` event of a streamed reply, in order: role,
// reasoning deltas, content deltas, tool-call deltas, finish, and the usage
// event when `include_usage`. `[DONE]` is not included.
std::vector<std::string> stream_events(const ChatReply& reply, bool include_usage);

// The non-streaming `chat.completion` body.
std::string completion_body(const ChatReply& reply);

}  // namespace dashscope_emulator::detail
