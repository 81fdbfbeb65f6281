#include "event_sink.hpp"

namespace openclaw::qwen {
namespace {

oc_str view(std::string_view text) { return oc_str{text.data(), text.size()}; }

template <class Event> oc_event_header header_for(std::uint16_t type) {
  return oc_event_header{static_cast<std::uint32_t>(sizeof(Event)), type, 0};
}

} // namespace

bool EventSink::deliver(const oc_event_header& header) {
  if (stopped_) return false;
  if (callback_ != nullptr && callback_(user_data_, &header) != 0) stopped_ = true;
  return !stopped_;
}

bool EventSink::text(std::string_view fragment, std::uint32_t choice_index) {
  const oc_event_text event{header_for<oc_event_text>(OC_EVENT_TEXT_DELTA), choice_index,
                            view(fragment)};
  return deliver(event.header);
}

bool EventSink::reasoning(std::string_view fragment, std::uint32_t choice_index) {
  const oc_event_text event{header_for<oc_event_text>(OC_EVENT_REASONING_DELTA), choice_index,
                            view(fragment)};
  return deliver(event.header);
}

bool EventSink::tool_call(std::uint32_t index, std::string_view id, std::string_view name,
                          std::string_view arguments_delta) {
  const oc_event_tool_call_delta event{
      header_for<oc_event_tool_call_delta>(OC_EVENT_TOOL_CALL_DELTA), index, view(id), view(name),
      view(arguments_delta)};
  return deliver(event.header);
}

bool EventSink::usage(const Usage& usage) {
  const oc_event_usage event{header_for<oc_event_usage>(OC_EVENT_USAGE), usage.prompt_tokens,
                             usage.completion_tokens,           usage.total_tokens,
                             usage.cached_tokens,               usage.reasoning_tokens};
  return deliver(event.header);
}

bool EventSink::done(std::string_view finish_reason, std::string_view response_id,
                     std::string_view request_id) {
  const oc_event_done event{header_for<oc_event_done>(OC_EVENT_DONE), view(finish_reason),
                            view(response_id), view(request_id)};
  return deliver(event.header);
}

bool EventSink::retry(std::uint32_t attempt, std::uint32_t delay_ms, oc_status reason) {
  const oc_event_retry event{header_for<oc_event_retry>(OC_EVENT_RETRY), attempt, delay_ms,
                             reason};
  return deliver(event.header);
}

bool EventSink::job(std::string_view task_id, std::string_view job_json) {
  const oc_event_job event{header_for<oc_event_job>(OC_EVENT_JOB_SUBMITTED), view(task_id),
                           view(job_json)};
  return deliver(event.header);
}

bool EventSink::progress(std::string_view task_id, std::string_view phase,
                         std::uint64_t elapsed_ms, std::uint64_t done, std::uint64_t total) {
  const oc_event_progress event{header_for<oc_event_progress>(OC_EVENT_PROGRESS), view(task_id),
                                view(phase), elapsed_ms, done, total};
  return deliver(event.header);
}

} // namespace openclaw::qwen
