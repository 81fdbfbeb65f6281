// The one place that knows cpp-httplib: an HTTP or HTTPS server that turns
// library requests into HttpRequest, route results into library responses,
// and can drop connections (RST mid-stream, or all of them on stop).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace dashscope_emulator::detail {

struct TlsMaterial;

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // For requests no route matched (and other errors the library answers
  // itself, e.g. a malformed request); `status` is what it would send.
  using Fallback = std::function<HttpResponse(const HttpRequest&, int status)>;
  // Sees every request before it is handled.
  using Recorder = std::function<void(const HttpRequest&)>;

  // `tls` null: plain HTTP. The material must outlive the server.
  explicit HttpServer(const TlsMaterial* tls);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void set_recorder(Recorder recorder);
  void set_fallback(Fallback fallback);
  // `pattern` is a regular expression over the path; its groups become
  // HttpRequest::captures. Register routes before start().
  void route(std::string_view method, const std::string& pattern, Handler handler);

  // Binds and listens; returns the port (useful with port 0). Throws
  // std::runtime_error when the address cannot be bound.
  int bind(const std::string& host, int port);
  // Runs the accept loop on its own thread; returns once it accepts.
  void start();
  // Stops accepting, drops every open connection, and joins the server's
  // threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dashscope_emulator::detail
