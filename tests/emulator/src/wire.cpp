#include "wire.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace dashscope_emulator::detail {

HttpResponse json_reply(int status, const json::value& body, const std::string& request_id) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("x-request-id", request_id);
  response.content_type = "application/json";
  response.body = json::serialize(body);
  return response;
}

HttpResponse compatible_error(int status, std::string_view code, std::string_view type,
                              std::string_view message, const std::string& request_id) {
  json::object error;
  error["message"] = message;
  error["type"] = type;
  error["param"] = nullptr;
  error["code"] = code;
  json::object body;
  body["error"] = std::move(error);
  body["request_id"] = request_id;
  return json_reply(status, body, request_id);
}

HttpResponse native_error(int status, std::string_view code, std::string_view message,
                          const std::string& request_id) {
  json::object body;
  body["code"] = code;
  body["message"] = message;
  body["request_id"] = request_id;
  return json_reply(status, body, request_id);
}

std::string bearer_key(const HttpRequest& request) {
  const std::string value = request.header("Authorization");
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return {};
  }
  std::string key = value.substr(scheme.size());
  while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.erase(key.begin());
  while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
  return key;
}

json::object parse_object(std::string_view body, bool& ok) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  ok = !ec && value.is_object();
  return ok ? std::move(value.as_object()) : json::object{};
}

std::string task_time(std::chrono::system_clock::time_point when) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%03d", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
}

}  // namespace dashscope_emulator::detail
