// Reading optional fields of JSON documents that cross the ABI or come from
// upstream: a missing key and a key of the wrong type read the same, as
// "absent". Header-only; shared by the plugin and the host.
#pragma once

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace openclaw::json_fields {

// The string at `key`, or "" when absent or not a string. The view lives as
// long as the object.
inline std::string_view string_view_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->as_string()) : std::string_view();
}

inline std::string string_at(const boost::json::object& object, std::string_view key) {
  return std::string(string_view_at(object, key));
}

// A whole number at `key` (integers, or doubles truncated), or nullopt.
inline std::optional<std::int64_t> integer_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) {
    return static_cast<std::int64_t>(
        std::min<std::uint64_t>(value->as_uint64(), static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
  }
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return std::nullopt;
}

} // namespace openclaw::json_fields
