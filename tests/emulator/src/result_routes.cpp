// The download side of video results, standing in for Alibaba OSS: signed
// URLs, deterministic bytes, and OSS's XML errors for expired or missing
// objects.
#include <algorithm>
#include <array>
#include <cstdint>

#include "http_server.hpp"
#include "routes.hpp"
#include "shared_state.hpp"
#include "wire.hpp"

namespace dashscope_emulator {

namespace {

// An MP4 `ftyp` box, so tools that sniff the file see a video.
constexpr std::array<unsigned char, 24> kFtyp = {0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                                 0x00, 0x00, 0x02, 0x00, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};

std::uint32_t seed_of(std::string_view name) {
  std::uint32_t hash = 2166136261U;  // FNV-1a
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
  return hash;
}

char byte_at(std::uint32_t seed, std::size_t index) {
  if (index < kFtyp.size()) return static_cast<char>(kFtyp[index]);
  std::uint32_t x = static_cast<std::uint32_t>(index) ^ seed;
  x *= 2654435761U;
  return static_cast<char>(x >> 24);
}

// Bytes [offset, offset + length) of a result.
std::string result_range(std::string_view name, std::size_t offset, std::size_t length) {
  const std::uint32_t seed = seed_of(name);
  std::string out(length, '\0');
  for (std::size_t i = 0; i < length; ++i) out[i] = byte_at(seed, offset + i);
  return out;
}

}  // namespace

std::string result_bytes(std::string_view name, std::size_t size) { return result_range(name, 0, size); }

namespace detail {

namespace {

std::string oss_error_xml(std::string_view code, std::string_view message, const std::string& oss_request_id,
                          const std::string& host, std::string_view extra) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n";
  xml += "  <Code>" + std::string(code) + "</Code>\n";
  xml += "  <Message>" + std::string(message) + "</Message>\n";
  xml += "  <RequestId>" + oss_request_id + "</RequestId>\n";
  xml += "  <HostId>" + host + "</HostId>\n";
  xml += extra;
  xml += "</Error>\n";
  return xml;
}

HttpResponse oss_error(int status, std::string xml, const std::string& oss_request_id) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/xml";
  response.headers.emplace_back("x-oss-request-id", oss_request_id);
  response.headers.emplace_back("x-request-id", oss_request_id);
  response.body = std::move(xml);
  return response;
}

std::string iso_time(std::chrono::system_clock::time_point when) {
  std::string text = task_time(when);  // "YYYY-MM-DD hh:mm:ss.mmm"
  text[10] = 'T';
  return text.substr(0, 19) + ".000Z";
}

HttpResponse download(const HttpRequest& request, State& state) {
  const std::string& name = request.captures.at(0);
  const std::string oss_request_id = state.random_token(24, "0123456789ABCDEF");
  const std::string task_id = name.ends_with(".mp4") ? name.substr(0, name.size() - 4) : std::string();

  std::size_t size = 0;
  std::optional<std::size_t> reset_after;
  {
    std::lock_guard lock(state.mutex);
    const auto found = state.tasks.find(task_id);
    if (found == state.tasks.end() || !found->second.result_published) {
      return oss_error(404,
                       oss_error_xml("NoSuchKey", "The specified key does not exist.", oss_request_id,
                                     state.host_port, "  <Key>" + name + "</Key>\n"),
                       oss_request_id);
    }
    const VideoTask& task = found->second;
    if (task.script.result_expired) {
      const auto now = std::chrono::system_clock::now();
      const std::string extra = "  <Expires>" + iso_time(now - std::chrono::hours(1)) + "</Expires>\n  <ServerTime>" +
                                iso_time(now) + "</ServerTime>\n";
      return oss_error(403, oss_error_xml("AccessDenied", "Request has expired.", oss_request_id, state.host_port, extra),
                       oss_request_id);
    }
    size = task.result_size;
    reset_after = task.script.reset_download_after;
  }

  HttpResponse response;
  response.content_type = "video/mp4";
  response.headers.emplace_back("x-oss-request-id", oss_request_id);
  response.headers.emplace_back("x-request-id", oss_request_id);
  response.headers.emplace_back("ETag", "\"" + task_id.substr(0, 8) + "\"");
  response.content_length = size;
  response.stream = [name, reset_after](BodyWriter& out, std::size_t offset, std::size_t length) {
    constexpr std::size_t kPiece = 64 * 1024;
    const std::size_t end = offset + length;
    for (std::size_t at = offset; at < end;) {
      std::size_t piece = std::min(kPiece, end - at);
      if (reset_after && at + piece > *reset_after) {
        piece = *reset_after > at ? *reset_after - at : 0;
        if (piece > 0 && !out.write(result_range(name, at, piece))) return;
        return out.reset_connection();
      }
      if (!out.write(result_range(name, at, piece))) return;
      at += piece;
    }
  };
  return response;
}

}  // namespace

void add_result_routes(HttpServer& server, State& state) {
  server.route("GET", "/results/([^/]+)", [&state](const HttpRequest& request) { return download(request, state); });
}

}  // namespace detail

}  // namespace dashscope_emulator
