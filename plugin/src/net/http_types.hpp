// Plain data types shared by the HTTP client and the layers above it.
//
// They carry no dependency on the HTTP library, so error mapping, retry
// decisions and the chat code can be written and tested without a socket.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/result.hpp"

namespace openclaw::qwen::net {

// Case-insensitive ASCII comparison, as HTTP field names require.
bool iequals(std::string_view a, std::string_view b) noexcept;

struct HttpHeader {
  std::string name;
  std::string value;
};

// An ordered list of header fields with case-insensitive lookup. Order is
// kept because it is what went over the wire; duplicates are allowed.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<HttpHeader> fields) : fields_(fields) {}

  void add(std::string name, std::string value);
  // Replaces every field with this name by one field.
  void set(std::string name, std::string value);
  void remove(std::string_view name);

  // The first value with this name.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<HttpHeader>& fields() const noexcept { return fields_; }
  bool empty() const noexcept { return fields_.empty(); }
  std::size_t size() const noexcept { return fields_.size(); }

 private:
  std::vector<HttpHeader> fields_;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  // Buffered mode: the whole body. Streaming mode: empty for 2xx (the bytes
  // went to the callback), the (bounded) error body otherwise.
  std::string body;

  bool is_success() const noexcept { return status >= 200 && status < 300; }
};

// Why a request produced no HTTP response.
enum class TransportErrorKind {
  InvalidRequest,  // bad URL or proxy setting: nothing was sent
  Timeout,         // connect timeout, read idle timeout or total deadline
  Cancelled,       // the caller's cancel check or body callback stopped it
  Network,         // refused, reset, closed early, DNS failure
  Tls,             // certificate verification or TLS handshake failure
};

std::string_view to_string(TransportErrorKind kind) noexcept;

struct TransportFailure {
  TransportErrorKind kind = TransportErrorKind::Network;
  // Readable and safe to show: never contains request headers or body.
  std::string message;
  // True when no connection was established (connect, proxy or TLS setup
  // failed), so the server cannot have seen the request.
  bool during_connect = false;
  // Response bytes (status line, headers, body) received before the
  // failure; 0 means "failed before the first byte".
  std::size_t bytes_received = 0;
};

using HttpResult = Result<HttpResponse, TransportFailure>;

}  // namespace openclaw::qwen::net
