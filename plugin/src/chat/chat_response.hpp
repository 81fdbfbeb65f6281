// Reads DashScope's chat answers: streamed chat.completion.chunk events and
// whole chat.completion bodies, turned into typed events for the host.
#pragma once

#include "event_sink.hpp"
#include "plugin_error.hpp"

#include <boost/json/parser.hpp>

#include <string>
#include <string_view>

namespace openclaw::qwen::chat {

// One streamed answer. Feed each SSE `data:` payload in order, then call
// finish() when the HTTP body ends.
class StreamDecoder {
public:
  explicit StreamDecoder(EventSink& events) : events_(events) {}

  // A payload: a chunk object, or "[DONE]". Errors: a chunk that is not
  // JSON, or an error object sent mid-stream.
  Status on_data(std::string_view data);

  // The body ended: emits usage and DONE, or fails when the stream was cut
  // off before `[DONE]`.
  Status finish(std::string_view request_id);

  // Something reached the host (the retry logic must not resend then).
  bool delivered() const { return delivered_; }
  bool saw_done() const { return saw_done_; }

private:
  EventSink& events_;
  boost::json::parser parser_; // reused: keeps its buffers between chunks
  std::string finish_reason_;
  std::string response_id_;
  Usage usage_;
  bool saw_usage_ = false;
  bool saw_done_ = false;
  bool delivered_ = false;
};

// A non-streaming chat.completion body, delivered as the same event kinds.
Status decode_completion(std::string_view body, std::string_view request_id, EventSink& events);

} // namespace openclaw::qwen::chat
