#include "net/http_types.hpp"

#include <algorithm>

namespace openclaw::qwen::net {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void HttpHeaders::add(std::string name, std::string value) {
  fields_.push_back(HttpHeader{std::move(name), std::move(value)});
}

void HttpHeaders::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void HttpHeaders::remove(std::string_view name) {
  std::erase_if(fields_, [&](const HttpHeader& field) { return iequals(field.name, name); });
}

std::optional<std::string_view> HttpHeaders::get(std::string_view name) const {
  const auto it = std::find_if(fields_.begin(), fields_.end(),
                               [&](const HttpHeader& field) { return iequals(field.name, name); });
  if (it == fields_.end()) return std::nullopt;
  return std::string_view(it->value);
}

std::string_view to_string(TransportErrorKind kind) noexcept {
  switch (kind) {
    case TransportErrorKind::InvalidRequest: return "invalid-request";
    case TransportErrorKind::Timeout: return "timeout";
    case TransportErrorKind::Cancelled: return "cancelled";
    case TransportErrorKind::Network: return "network";
    case TransportErrorKind::Tls: return "tls";
  }
  return "unknown";
}

}  // namespace openclaw::qwen::net
