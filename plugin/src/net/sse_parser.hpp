// Incremental parser for Server-Sent Events (text/event-stream).
//
// DashScope streams chat completions as SSE: the compatible mode sends
// `data: {...}` / `data: [DONE]`, the native API sends `id:`, `event:` and
// `:HTTP_STATUS/200` comment lines with no space after the colon. Network
// reads split that text anywhere (inside a line, between CR and LF, inside
// a UTF-8 sequence), so the parser keeps state between `feed` calls and
// follows the WHATWG event-stream rules exactly.
//
// Hot path: a complete line inside a chunk is parsed in place without
// copying; only a line split across chunks and the event's data are
// buffered, in strings that are cleared (keeping their capacity) and reused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace openclaw::qwen::net {

// One dispatched event. The views point into the parser's buffers and are
// valid only during the callback: copy what you keep.
struct SseEvent {
  std::string_view type;  // "message" when the stream sent no `event:` field
  std::string_view data;  // the `data:` lines joined with '\n'
  std::string_view id;    // last event id seen on the stream (persists, per spec)
};

enum class SseStatus {
  Ok,
  Stopped,        // the callback returned false; reset() before reusing the parser
  EventTooLarge,  // an event (or a single line) exceeded max_event_bytes
};

std::string_view to_string(SseStatus status) noexcept;

class SseParser {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = std::size_t{8} * 1024 * 1024;

  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  // Feeds the next bytes of the stream. `on_event(const SseEvent&)` is
  // called once per complete event and returns true to continue, false to
  // stop. After EventTooLarge every further feed returns EventTooLarge
  // until reset(): the stream position is lost, so continuing would yield
  // garbage.
  template <class OnEvent>
  SseStatus feed(std::string_view bytes, OnEvent&& on_event) {
    static_assert(std::is_invocable_r_v<bool, OnEvent&, const SseEvent&>,
                  "on_event must be callable as bool(const SseEvent&)");
    using Callable = std::remove_reference_t<OnEvent>;
    EventSink sink{const_cast<void*>(static_cast<const void*>(&on_event)),
                   [](void* callable, const SseEvent& event) {
                     return static_cast<bool>((*static_cast<Callable*>(callable))(event));
                   }};
    return feed_impl(bytes, sink);
  }

  // True when the stream so far ends inside an event: a truncated stream.
  // Per the spec an unterminated event is never dispatched.
  bool has_partial_event() const noexcept;

  // The reconnection time from the last valid `retry:` field, if any.
  std::optional<std::uint64_t> retry_ms() const noexcept { return retry_ms_; }

  std::size_t max_event_bytes() const noexcept { return max_event_bytes_; }

  // A readable description of the failure after EventTooLarge.
  std::string error_message() const;

  // Forgets all state, as for a new stream. Buffers keep their capacity.
  void reset() noexcept;

 private:
  // A non-owning, allocation-free reference to the caller's callback.
  struct EventSink {
    void* callable;
    bool (*invoke)(void*, const SseEvent&);
  };

  SseStatus feed_impl(std::string_view bytes, EventSink sink);
  SseStatus process_line(std::string_view line, EventSink sink);
  SseStatus dispatch(EventSink sink);
  bool fits(std::size_t extra) const noexcept;

  std::size_t max_event_bytes_;
  std::string line_;   // a line split across feeds
  std::string data_;   // data lines of the current event, each followed by '\n'
  std::string type_;   // event type of the current event
  std::string last_id_;
  std::optional<std::uint64_t> retry_ms_;
  unsigned bom_bytes_matched_ = 0;
  bool bom_checked_ = false;
  bool pending_cr_ = false;  // last feed ended with CR; skip a leading LF
  bool failed_ = false;
};

}  // namespace openclaw::qwen::net
