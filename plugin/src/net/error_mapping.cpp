#include "net/error_mapping.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "net/url.hpp"

namespace openclaw::qwen::net {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxUpstreamMessageBytes = 512;
constexpr std::size_t kMaxPlainBodyBytes = 300;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_key_char(char c) noexcept { return is_alnum(c) || c == '-' || c == '_'; }

// Characters of an RFC 6750 bearer token.
bool is_token_char(char c) noexcept {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

bool starts_with_icase(std::string_view text, std::size_t pos, std::string_view prefix) noexcept {
  if (text.size() - pos < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[pos + i]) != lower(prefix[i])) return false;
  }
  return true;
}

std::string redacted_tail(std::string_view prefix, std::string_view secret) {
  std::string out(prefix);
  out += kEllipsis;
  if (secret.size() >= 12) out += secret.substr(secret.size() - 4);
  return out;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_space = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      in_space = !out.empty();
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

// A JSON field as text: strings as is, numbers printed, anything else empty.
std::string field_text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return {};
  if (const auto* s = value->if_string()) return std::string(*s);
  if (value->is_int64()) return std::to_string(value->as_int64());
  if (value->is_uint64()) return std::to_string(value->as_uint64());
  return {};
}

struct UpstreamBody {
  std::string code;
  std::string type;
  std::string message;
  std::string request_id;
};

UpstreamBody parse_body(std::string_view body) {
  UpstreamBody out;
  json::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto& root = parsed.as_object();
    out.request_id = field_text(root, "request_id");
    if (const auto* error = root.if_contains("error")) {
      if (const auto* error_object = error->if_object()) {  // compatible mode
        out.message = field_text(*error_object, "message");
        out.code = field_text(*error_object, "code");
        out.type = field_text(*error_object, "type");
      } else if (const auto* error_text = error->if_string()) {
        out.message = std::string(*error_text);
      }
    }
    if (out.message.empty()) out.message = field_text(root, "message");  // native
    if (out.code.empty()) out.code = field_text(root, "code");
    if (!out.message.empty() || !out.code.empty()) return out;
  }
  // Not a JSON error (an HTML proxy page, plain text): keep its beginning.
  out.message = truncate_utf8(collapse_whitespace(body), kMaxPlainBodyBytes);
  return out;
}

// Matches "model `x` is not supported", "model 'x' is not supported",
// "model x is not supported" and "model not supported", case-insensitively.
// Hand-written rather than std::regex: no static regex object (the plugin
// avoids globals with destructors) and no backtracking on huge bodies.
bool mentions_unsupported_model(std::string_view message) {
  const std::string text = to_lower(message);
  const auto skip_spaces = [&](std::size_t pos) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    return pos;
  };
  const auto is_name_char = [](char c) {
    return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '/' || c == ':';
  };
  for (std::size_t at = text.find("model"); at != std::string::npos; at = text.find("model", at + 1)) {
    std::size_t pos = skip_spaces(at + 5);
    if (text.compare(pos, 13, "not supported") == 0 || text.compare(pos, 16, "is not supported") == 0) return true;
    const bool quoted = pos < text.size() && (text[pos] == '`' || text[pos] == '\'' || text[pos] == '"');
    if (quoted) ++pos;
    while (pos < text.size() && is_name_char(text[pos])) ++pos;
    if (quoted && pos < text.size() && (text[pos] == '`' || text[pos] == '\'' || text[pos] == '"')) ++pos;
    pos = skip_spaces(pos);
    if (text.compare(pos, 16, "is not supported") == 0 || text.compare(pos, 13, "not supported") == 0) return true;
  }
  return false;
}

bool says_model_not_supported(const UpstreamBody& body) {
  const std::string code = to_lower(body.code);
  return code == "model_not_supported" || code == "modelnotsupported" || mentions_unsupported_model(body.message);
}

bool is_quota_exhausted(const UpstreamBody& body) {
  const std::string code = to_lower(body.code);
  const std::string message = to_lower(body.message);
  return code == "insufficient_quota" || code == "arrearage" ||
         message.find("free allocated quota exceeded") != std::string::npos ||
         message.find("exceeded your current quota") != std::string::npos;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), so no
// libc time-zone or locale state is involved.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  std::optional<unsigned> day;
  std::optional<unsigned> month;
  std::optional<std::int64_t> year;
  std::optional<std::array<unsigned, 3>> time;

  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find_first_of(" ,-\t", pos);
    const std::string_view token = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (token.empty()) continue;
    if (token.find(':') != std::string_view::npos) {
      std::array<unsigned, 3> hms{};
      std::size_t part_start = 0;
      for (std::size_t i = 0; i < 3; ++i) {
        const auto part_end = i < 2 ? token.find(':', part_start) : token.size();
        if (part_end == std::string_view::npos) return std::nullopt;
        const auto part = token.substr(part_start, part_end - part_start);
        const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), hms[i]);
        if (ec != std::errc{} || ptr != part.data() + part.size()) return std::nullopt;
        part_start = part_end + 1;
      }
      if (hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
      time = hms;
    } else if (is_alnum(token.front()) && !(token.front() >= '0' && token.front() <= '9')) {
      const std::string name = to_lower(token);
      for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (name == kMonths[i]) month = static_cast<unsigned>(i + 1);
      }
      // Weekday names and "GMT" carry nothing we need.
    } else {
      unsigned number = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), number);
      if (ec != std::errc{} || ptr != token.data() + token.size()) return std::nullopt;
      if (token.size() == 4) {
        year = number;
      } else if (!day) {
        day = number;
      } else {
        year = number < 70 ? 2000 + number : 1900 + number;  // RFC 850's two-digit year
      }
    }
  }
  if (!day || !month || !year || !time || *day < 1 || *day > 31) return std::nullopt;
  const std::int64_t seconds = days_from_civil(*year, *month, *day) * 86400 + (*time)[0] * 3600 + (*time)[1] * 60 +
                               (*time)[2];
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

std::string with_status(std::string summary, int status, const std::string& upstream_message) {
  summary += " (HTTP " + std::to_string(status) + ")";
  if (!upstream_message.empty()) summary += ": " + upstream_message;
  return summary;
}

}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Auth: return "auth";
    case ErrorKind::RateLimited: return "rate-limited";
    case ErrorKind::ModelUnsupportedOnPlan: return "model-unsupported-on-plan";
    case ErrorKind::BadRequest: return "bad-request";
    case ErrorKind::Upstream: return "upstream";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Network: return "network";
    case ErrorKind::Tls: return "tls";
  }
  return "unknown";
}

std::string ApiError::display() const {
  std::string out = message;
  if (!hint.empty()) out += " Hint: " + hint;
  if (!request_id.empty()) out += " (request id " + request_id + ")";
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Never split a multi-byte sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  out += kEllipsis;
  return out;
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool at_word_start = i == 0 || !is_key_char(text[i - 1]);
    if (at_word_start && starts_with_icase(text, i, "bearer ")) {
      std::size_t start = i + 7;
      while (start < text.size() && text[start] == ' ') ++start;
      std::size_t end = start;
      while (end < text.size() && is_token_char(text[end])) ++end;
      if (end - start >= 8) {
        out += redacted_tail(text.substr(i, 7), text.substr(start, end - start));
        i = end;
        continue;
      }
    }
    if (at_word_start && starts_with_icase(text, i, "sk-")) {
      std::size_t end = i + 3;
      while (end < text.size() && is_key_char(text[end])) ++end;
      if (end - i - 3 >= 8) {
        out += redacted_tail("sk-", text.substr(i + 3, end - i - 3));
        i = end;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;

  if (value.front() >= '0' && value.front() <= '9') {
    // delay-seconds; a fractional part (not standard, but seen) rounds up.
    std::uint64_t whole = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), whole);
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds(std::int64_t{1} << 40);
    if (ec != std::errc{}) return std::nullopt;
    std::string_view rest(ptr, static_cast<std::size_t>(value.data() + value.size() - ptr));
    bool fraction = false;
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
      fraction = rest.find_first_not_of('0') != std::string_view::npos;
      rest = {};
    }
    if (!rest.empty()) return std::nullopt;
    whole = std::min<std::uint64_t>(whole, std::uint64_t{1} << 40);
    return std::chrono::seconds(static_cast<std::int64_t>(whole + (fraction ? 1 : 0)));
  }

  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  if (*when <= now) return std::chrono::seconds(0);
  // Round up: retrying a fraction of a second early would just fail again.
  const auto delta = *when - now;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(delta);
  if (seconds < delta) ++seconds;
  return seconds;
}

ApiError map_http_error(int status, const HttpHeaders& headers, std::string_view body, const ErrorContext& context) {
  const UpstreamBody upstream = parse_body(body);

  ApiError error;
  error.http_status = status;
  error.upstream_code = truncate_utf8(redact_secrets(upstream.code), 128);
  error.upstream_type = truncate_utf8(redact_secrets(upstream.type), 128);
  error.upstream_message = truncate_utf8(redact_secrets(upstream.message), kMaxUpstreamMessageBytes);
  error.request_id = truncate_utf8(upstream.request_id, 128);
  if (error.request_id.empty()) {
    for (const std::string_view header : {"x-dashscope-request-id", "x-request-id", "request-id"}) {
      if (auto value = headers.get(header); value && !value->empty()) {
        error.request_id = truncate_utf8(*value, 128);
        break;
      }
    }
  }

  // Honoured for 429 and 503 alike.
  if (auto header = headers.get("retry-after")) error.retry_after = parse_retry_after(*header, context.now);

  const std::string code = to_lower(upstream.code);
  const bool coding_plan = context.coding_plan_endpoint;
  const std::string model = context.model.empty() ? std::string("the requested model")
                                                  : std::string(context.model);

  if (coding_plan && (status == 400 || status == 403 || status == 404) && says_model_not_supported(upstream)) {
    error.kind = ErrorKind::ModelUnsupportedOnPlan;
    error.message = with_status(model + " is not supported on the Qwen Coding Plan endpoint", status,
                                error.upstream_message);
    error.hint = "use a Standard (pay-as-you-go) endpoint for this model (onboard with " +
                 std::string(context.standard_auth_choice) + "), or choose a model your Coding Plan includes.";
    error.permanent = true;
    return error;
  }

  if (status == 401 || status == 403 || code == "invalidapikey" || code == "invalid_api_key" ||
      code == "arrearage") {
    error.kind = ErrorKind::Auth;
    error.permanent = true;
    if (code == "arrearage") {
      error.message = with_status("access denied: the Alibaba Cloud account is not in good standing", status,
                                  error.upstream_message);
      error.hint = "check the account's balance and billing status in the Model Studio console.";
    } else {
      error.message = with_status("authentication failed", status, error.upstream_message);
      error.hint = coding_plan ? "Coding Plan endpoints need the plan's own API key (sk-sp-...), not a general "
                                 "Model Studio key; check the key and that the subscription is active."
                               : "check the API key and that it belongs to this endpoint's region and plan.";
    }
    return error;
  }

  if (status == 429) {
    error.kind = ErrorKind::RateLimited;
    error.permanent = is_quota_exhausted(upstream);
    std::string summary = error.permanent ? "quota exhausted" : "rate limited";
    if (error.retry_after) summary += ", retry after " + std::to_string(error.retry_after->count()) + " s";
    error.message = with_status(summary, status, error.upstream_message);
    if (error.permanent) error.hint = "the plan's quota is used up; wait for it to reset or raise it in the console.";
    return error;
  }

  if (status == 407) {
    error.kind = ErrorKind::Network;
    error.message = with_status("the HTTP proxy requires authentication", status, {});
    error.hint = "put the proxy credentials in HTTPS_PROXY, e.g. http://user:password@proxy:port.";
    error.permanent = true;
    return error;
  }

  if (status == 408) {
    error.kind = ErrorKind::Timeout;
    error.message = with_status("the server timed out waiting for the request", status, error.upstream_message);
    return error;
  }

  if (status >= 400 && status < 500) {
    error.kind = ErrorKind::BadRequest;
    error.permanent = true;
    error.message = with_status("request rejected", status, error.upstream_message);
    if (status == 404) error.hint = "check the base URL and the model id.";
    if (status == 413) error.hint = "the request is too large; shorten the conversation or attachments.";
    return error;
  }

  error.kind = ErrorKind::Upstream;
  if (status >= 500) {
    error.message = with_status("upstream server error", status, error.upstream_message);
  } else {
    error.message = with_status("unexpected response", status, error.upstream_message);
    error.permanent = true;
  }
  return error;
}

ApiError map_transport_error(const TransportFailure& failure) {
  ApiError error;
  switch (failure.kind) {
    case TransportErrorKind::InvalidRequest: error.kind = ErrorKind::BadRequest; break;
    case TransportErrorKind::Timeout: error.kind = ErrorKind::Timeout; break;
    case TransportErrorKind::Cancelled: error.kind = ErrorKind::Cancelled; break;
    case TransportErrorKind::Network: error.kind = ErrorKind::Network; break;
    case TransportErrorKind::Tls: error.kind = ErrorKind::Tls; break;
  }
  error.message = redact_secrets(failure.message);
  error.connect_failure = failure.during_connect;
  error.response_started = failure.bytes_received > 0;
  error.permanent = failure.kind == TransportErrorKind::InvalidRequest || failure.kind == TransportErrorKind::Tls ||
                    failure.kind == TransportErrorKind::Cancelled;
  return error;
}

}  // namespace openclaw::qwen::net
