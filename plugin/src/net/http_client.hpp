// The plugin's HTTP(S) client: the only code that touches the HTTP library.
//
// What it guarantees, because the layers above rely on it:
//  - TLS certificates are always verified (there is no switch to turn that
//    off); a custom CA bundle can be given, else SSL_CERT_FILE, else the
//    system store.
//  - Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (proxy_config.hpp).
//  - One kept-alive connection per origin is reused across sequential
//    requests (a small pool; concurrent requests get their own connection).
//  - A request ends within ~10-20 ms of its CancelCheck turning true, or of
//    its total deadline, whether it is connecting, waiting or streaming.
//    (Exception: a DNS lookup in progress cannot be interrupted; the request
//    stops as soon as it returns.)
//  - Failures come back as a TransportFailure with a readable message that
//    never includes request headers (Authorization!) or the request body.
//
// Thread-safety: one HttpClient may be used from several threads at once.
// Callbacks run on the calling thread, except CancelCheck, which a watcher
// thread polls: it must be safe to call from another thread (an atomic flag
// or a host cancellation token is).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.hpp"
#include "net/proxy_config.hpp"

namespace openclaw::qwen::net {

// Returns true once the request should be abandoned.
using CancelCheck = std::function<bool()>;
// Receives response body bytes as they arrive; return false to stop.
using BodyHandler = std::function<bool(std::string_view chunk)>;
// Sees status and headers before any body byte; return false to stop.
using ResponseStartHandler = std::function<bool(int status, const HttpHeaders& headers)>;

struct HttpTimeouts {
  std::chrono::milliseconds connect{10'000};  // TCP connect plus TLS handshake
  // Longest silence while sending or receiving. Reasoning models can think
  // for a while before the first token, hence the generous default.
  std::chrono::milliseconds read_idle{120'000};
  // Whole-request budget, including the streamed body; none by default
  // because a long answer may legitimately stream for minutes.
  std::optional<std::chrono::milliseconds> total;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http(s) URL
  HttpHeaders headers;
  std::string body;  // sent as is; Content-Type defaults to application/json when a body is present
  std::optional<HttpTimeouts> timeouts;  // overrides the client's defaults
  CancelCheck cancel;                    // optional
};

struct HttpClientOptions {
  HttpTimeouts timeouts;
  // PEM file of trusted CA certificates. Empty: SSL_CERT_FILE if set, else
  // the system default store.
  std::string ca_bundle_path;
  // Where SSL_CERT_FILE and the proxy variables are read from.
  EnvLookup env = process_environment();
  std::size_t max_body_bytes = std::size_t{64} * 1024 * 1024;  // buffered responses
  std::size_t max_error_body_bytes = std::size_t{1} * 1024 * 1024;  // non-2xx bodies when streaming
  std::size_t max_idle_connections_per_origin = 4;
  std::string user_agent = "openclaw-qwen-plugin";
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends the request and buffers the whole response (up to max_body_bytes).
  // Any HTTP status, including 4xx/5xx, is a successful result.
  HttpResult send(const HttpRequest& request);

  // Sends the request and hands 2xx body bytes to `on_body` as they arrive;
  // the result's body is then empty. A non-2xx body is buffered into the
  // result instead (up to max_error_body_bytes) so it can be mapped to an
  // error. `on_start`, if given, sees every response's status and headers
  // first. Exceptions thrown by the callbacks propagate to the caller after
  // the connection has been cleaned up.
  HttpResult send_streaming(const HttpRequest& request, const BodyHandler& on_body,
                            const ResponseStartHandler& on_start = {});

  // Kept-alive connections currently parked in the pool.
  std::size_t idle_connection_count() const;
  // Closes every parked connection (e.g. after a network change).
  void close_idle_connections();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace openclaw::qwen::net
