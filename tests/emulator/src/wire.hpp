// DashScope's reply envelopes: JSON bodies, the two error body shapes
// (compatible mode vs native APIs), request ids, bearer keys.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace dashscope_emulator::detail {

namespace json = boost::json;

// A JSON reply carrying `x-request-id: <request_id>`.
HttpResponse json_reply(int status, const json::value& body, const std::string& request_id);

// Compatible mode (OpenAI shape):
//   {"error":{"message","type","param":null,"code"},"request_id"}
HttpResponse compatible_error(int status, std::string_view code, std::string_view type,
                              std::string_view message, const std::string& request_id);

// Native DashScope APIs: {"code","message","request_id"}.
HttpResponse native_error(int status, std::string_view code, std::string_view message,
                          const std::string& request_id);

// The key of `Authorization: Bearer <key>`; empty when absent or malformed.
std::string bearer_key(const HttpRequest& request);

// Parses a JSON object body; null when the body is not a JSON object.
json::object parse_object(std::string_view body, bool& ok);

// "2025-07-27 21:05:15.212" (UTC), the format of DashScope task times.
std::string task_time(std::chrono::system_clock::time_point when);

// Seconds since the Unix epoch.
std::int64_t unix_seconds(std::chrono::system_clock::time_point when);

}  // namespace dashscope_emulator::detail
