// The emulator's own view of HTTP: plain structs the route code works with,
// so that only http_server.cpp needs to know about cpp-httplib.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dashscope_emulator::detail {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup in a header list; empty when absent.
std::string find_header(const HeaderList& headers, std::string_view name);
bool has_header(const HeaderList& headers, std::string_view name);

struct HttpRequest {
  std::string method;
  std::string path;
  std::string query;
  HeaderList headers;
  std::string body;
  std::vector<std::string> captures;  // regex groups of the route pattern

  [[nodiscard]] std::string header(std::string_view name) const { return find_header(headers, name); }
};

// Where a streamed body goes. Calls come from the connection's own thread.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Sends bytes now (one HTTP chunk when chunked). False once the peer is
  // gone or the response was aborted.
  virtual bool write(std::string_view bytes) = 0;
  // Abort the TCP connection with a RST; later writes fail.
  virtual void reset_connection() = 0;
  // Stop without finishing the body (the connection is closed).
  virtual void abort() = 0;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string content_type = "application/json";
  std::string body;
  // When set, `stream` produces the body instead of `body`: chunked transfer
  // encoding when `content_length` is empty, else exactly that many bytes.
  // It receives the byte range to produce (a Range request may ask for part
  // of a fixed-length body; chunked streams get offset 0, length 0).
  std::function<void(BodyWriter&, std::size_t offset, std::size_t length)> stream;
  std::optional<std::size_t> content_length;
};

}  // namespace dashscope_emulator::detail
