// Typed events out of the plugin. Capability code calls these; the ABI layer
// turns them into oc_event_* structs for the host's callback. Each returns
// false when the host asked to stop (callback returned non-zero).
#pragma once

#include <openclaw/provider_abi.h>

#include <cstdint>
#include <string_view>

namespace openclaw::qwen {

struct Usage {
  std::uint64_t prompt_tokens = 0, completion_tokens = 0, total_tokens = 0;
  std::uint64_t cached_tokens = 0, reasoning_tokens = 0;
};

class EventSink {
public:
  EventSink(oc_event_fn callback, void* user_data) : callback_(callback), user_data_(user_data) {}

  bool text(std::string_view fragment, std::uint32_t choice_index = 0);
  bool reasoning(std::string_view fragment, std::uint32_t choice_index = 0);
  bool tool_call(std::uint32_t index, std::string_view id, std::string_view name,
                 std::string_view arguments_delta);
  bool usage(const Usage& usage);
  bool done(std::string_view finish_reason, std::string_view response_id,
            std::string_view request_id);
  bool retry(std::uint32_t attempt, std::uint32_t delay_ms, oc_status reason);
  bool job(std::string_view task_id, std::string_view job_json);
  bool progress(std::string_view task_id, std::string_view phase, std::uint64_t elapsed_ms,
                std::uint64_t done = 0, std::uint64_t total = 0);

  // True once the host's callback asked to stop; later events are dropped.
  bool stopped() const { return stopped_; }

private:
  bool deliver(const oc_event_header& header);

  oc_event_fn callback_;
  void* user_data_;
  bool stopped_ = false;
};

} // namespace openclaw::qwen
