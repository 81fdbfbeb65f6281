#include "shared_state.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace dashscope_emulator::detail {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

bool has_header(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

bool StopSignal::sleep_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

bool StopSignal::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void StopSignal::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

KeyVerdict State::check_key(std::string_view key) const {
  if (key.empty()) return KeyVerdict::Missing;
  if (denied_keys.contains(key)) return KeyVerdict::Refused;
  if (oauth_access_tokens.contains(key)) return KeyVerdict::Accepted;
  if (valid_keys.empty() || valid_keys.contains(key)) return KeyVerdict::Accepted;
  return KeyVerdict::Refused;
}

void State::record(const HttpRequest& request) {
  RecordedRequest recorded{request.method, request.path, request.query, request.headers, request.body,
                           std::chrono::steady_clock::now()};
  std::lock_guard lock(mutex);
  requests.push_back(std::move(recorded));
}

std::string State::new_uuid() {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  {
    std::lock_guard lock(random_mutex_);
    hi = random_();
    lo = random_();
  }
  // RFC 4122 version 4 layout, which is what DashScope's ids look like.
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffffU), static_cast<unsigned>(hi & 0xffffU),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return text;
}

std::string State::random_token(std::size_t length, std::string_view alphabet) {
  std::lock_guard lock(random_mutex_);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out(length, ' ');
  for (auto& c : out) c = alphabet[pick(random_)];
  return out;
}

}  // namespace dashscope_emulator::detail
