#include "net/sse_parser.hpp"

#include <charconv>
#include <cstring>

namespace openclaw::qwen::net {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::size_t find_line_end(std::string_view bytes, std::size_t from) noexcept {
  for (std::size_t i = from; i < bytes.size(); ++i) {
    if (bytes[i] == '\n' || bytes[i] == '\r') return i;
  }
  return std::string_view::npos;
}

bool all_ascii_digits(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(SseStatus status) noexcept {
  switch (status) {
    case SseStatus::Ok: return "ok";
    case SseStatus::Stopped: return "stopped by the event handler";
    case SseStatus::EventTooLarge: return "server-sent event too large";
  }
  return "unknown";
}

SseParser::SseParser(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

bool SseParser::has_partial_event() const noexcept {
  return !line_.empty() || !data_.empty() || !type_.empty();
}

std::string SseParser::error_message() const {
  if (!failed_) return {};
  return "server-sent event exceeds the limit of " + std::to_string(max_event_bytes_) +
         " bytes; the stream was aborted";
}

void SseParser::reset() noexcept {
  line_.clear();
  data_.clear();
  type_.clear();
  last_id_.clear();
  retry_ms_.reset();
  bom_bytes_matched_ = 0;
  bom_checked_ = false;
  pending_cr_ = false;
  failed_ = false;
}

bool SseParser::fits(std::size_t extra) const noexcept {
  // Everything buffered for the current event counts: its data, its type
  // and the line still being assembled.
  return data_.size() + type_.size() + line_.size() + extra <= max_event_bytes_;
}

SseStatus SseParser::feed_impl(std::string_view bytes, EventSink sink) {
  if (failed_) return SseStatus::EventTooLarge;

  std::size_t pos = 0;
  // A UTF-8 BOM may open the stream; it can itself arrive split.
  while (!bom_checked_ && pos < bytes.size()) {
    if (bytes[pos] == kBom[bom_bytes_matched_]) {
      ++pos;
      if (++bom_bytes_matched_ == kBom.size()) bom_checked_ = true;
      continue;
    }
    bom_checked_ = true;
    // A partial match was ordinary text after all (no line end inside it).
    line_.append(kBom.substr(0, bom_bytes_matched_));
  }

  while (pos < bytes.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (bytes[pos] == '\n') {
        ++pos;
        continue;
      }
    }
    const std::size_t end = find_line_end(bytes, pos);
    if (end == std::string_view::npos) {
      const std::string_view tail = bytes.substr(pos);
      if (!fits(tail.size())) {
        failed_ = true;
        return SseStatus::EventTooLarge;
      }
      line_.append(tail);
      break;
    }

    std::string_view line = bytes.substr(pos, end - pos);
    if (!line_.empty()) {
      if (!fits(line.size())) {
        failed_ = true;
        return SseStatus::EventTooLarge;
      }
      line_.append(line);
      line = line_;
    }

    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos < bytes.size()) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        pending_cr_ = true;  // the LF of a CRLF may start the next chunk
      }
    }

    const SseStatus status = process_line(line, sink);
    line_.clear();
    if (status != SseStatus::Ok) return status;
  }
  return SseStatus::Ok;
}

SseStatus SseParser::process_line(std::string_view line, EventSink sink) {
  if (line.empty()) return dispatch(sink);
  if (line.front() == ':') return SseStatus::Ok;  // comment, e.g. ":HTTP_STATUS/200" or keep-alive

  std::string_view field = line;
  std::string_view value;
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }

  if (field == "data") {
    // The line itself (possibly in line_) is consumed here, so only the
    // event's accumulated fields count against the limit.
    if (data_.size() + type_.size() + value.size() + 1 > max_event_bytes_) {
      failed_ = true;
      return SseStatus::EventTooLarge;
    }
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (field == "retry") {
    std::uint64_t ms = 0;
    if (all_ascii_digits(value)) {
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
      if (ec == std::errc{} && ptr == value.data() + value.size()) retry_ms_ = ms;
    }
  }
  // Unknown fields are ignored, as the spec requires.
  return SseStatus::Ok;
}

SseStatus SseParser::dispatch(EventSink sink) {
  if (data_.empty()) {
    type_.clear();
    return SseStatus::Ok;
  }
  SseEvent event;
  event.type = type_.empty() ? std::string_view("message") : std::string_view(type_);
  event.data = std::string_view(data_).substr(0, data_.size() - 1);  // drop the last '\n'
  event.id = last_id_;
  const bool keep_going = sink.invoke(sink.callable, event);
  data_.clear();
  type_.clear();
  return keep_going ? SseStatus::Ok : SseStatus::Stopped;
}

}  // namespace openclaw::qwen::net
