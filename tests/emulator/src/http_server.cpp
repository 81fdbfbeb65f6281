#include "http_server.hpp"

// pkg-config already passes -DCPPHTTPLIB_OPENSSL_SUPPORT; define it only if
// this file is ever built without those flags.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <charconv>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "tls_material.hpp"

namespace dashscope_emulator::detail {

namespace {

// Each open connection holds a worker for as long as it lives (keep-alive,
// stalled streams), so give tests plenty before requests start queueing.
constexpr std::size_t kWorkerThreads = 32;

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// cpp-httplib never hands a connection's socket to handlers. To act on a
// connection (reset it, or drop it on stop) we find it among this process's
// descriptors: a server-side connection is the socket whose local port is the
// server's port and which has a peer. Each candidate is duplicated first and
// only the duplicate is inspected and used, so a descriptor that the library
// closes (and the kernel reuses) meanwhile can never be hit by mistake.
// `peer_port` < 0 matches every connection.
template <class Action>
void for_each_connection(int local_port, int peer_port, Action action) {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    int fd = -1;
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{}) continue;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof local;
    socklen_t peer_len = sizeof peer;
    if (::getsockname(copy, reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
        port_of(local) == local_port &&
        ::getpeername(copy, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 &&
        (peer_port < 0 || port_of(peer) == peer_port)) {
      action(copy);
    }
    ::close(copy);
  }
}

// A RST, not a FIN: connect(AF_UNSPEC) disconnects an established TCP socket
// with a reset at once (Linux), and the library's own close later is a no-op
// on the wire. Bytes already written are given a moment to reach the peer,
// because a reset discards whatever is still queued.
void reset_connection(int server_port, int peer_port) {
  for_each_connection(server_port, peer_port, [](int fd) {
    for (int i = 0; i < 200; ++i) {
      int queued = 0;
      if (::ioctl(fd, SIOCOUTQ, &queued) != 0 || queued == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    sockaddr disconnect{};
    disconnect.sa_family = AF_UNSPEC;
    ::connect(fd, &disconnect, sizeof disconnect);
  });
}

HttpRequest to_request(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  if (const auto q = req.target.find('?'); q != std::string::npos) out.query = req.target.substr(q + 1);
  out.headers.reserve(req.headers.size());
  for (const auto& [key, value] : req.headers) out.headers.emplace_back(key, value);
  out.body = req.body;
  for (std::size_t i = 1; i < req.matches.size(); ++i) out.captures.push_back(req.matches[i].str());
  return out;
}

class SinkWriter final : public BodyWriter {
 public:
  SinkWriter(httplib::DataSink& sink, int server_port, int peer_port)
      : sink_(sink), server_port_(server_port), peer_port_(peer_port) {}

  bool write(std::string_view bytes) override {
    if (failed_) return false;
    if (bytes.empty()) return true;  // an empty HTTP chunk would end the body
    if (!sink_.write(bytes.data(), bytes.size())) failed_ = true;
    return !failed_;
  }
  void reset_connection() override {
    if (failed_) return;
    failed_ = true;
    detail::reset_connection(server_port_, peer_port_);
  }
  void abort() override { failed_ = true; }
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  httplib::DataSink& sink_;
  int server_port_;
  int peer_port_;
  bool failed_ = false;
};

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  Recorder recorder;
  Fallback fallback;
  int port = 0;
  bool started = false;
  bool stopped = false;

  void apply(HttpResponse out, httplib::Response& res, int peer_port) const {
    res.status = out.status;
    for (const auto& [key, value] : out.headers) res.set_header(key, value);
    if (!out.stream) {
      res.set_content(out.body, out.content_type);
      return;
    }
    const int server_port = port;
    auto produce = std::make_shared<decltype(out.stream)>(std::move(out.stream));
    // The provider runs on the connection's thread after this handler
    // returned; exceptions must not escape it (nothing would catch them).
    if (out.content_length) {
      auto called = std::make_shared<bool>(false);
      res.set_content_provider(
          *out.content_length, out.content_type,
          [produce, called, server_port, peer_port](std::size_t offset, std::size_t length,
                                                   httplib::DataSink& sink) {
            // Called again only if the body came out short: end it there.
            if (*called) return false;
            *called = true;
            SinkWriter writer(sink, server_port, peer_port);
            try {
              (*produce)(writer, offset, length);
            } catch (...) {
              return false;
            }
            return !writer.failed();
          });
    } else {
      res.set_chunked_content_provider(
          out.content_type, [produce, server_port, peer_port](std::size_t, httplib::DataSink& sink) {
            SinkWriter writer(sink, server_port, peer_port);
            try {
              (*produce)(writer, 0, 0);
            } catch (...) {
              return false;
            }
            if (writer.failed()) return false;
            sink.done();
            return true;
          });
    }
  }
};

HttpServer::HttpServer(const TlsMaterial* tls) : impl_(std::make_unique<Impl>()) {
  if (tls != nullptr) {
    impl_->server = std::make_unique<httplib::SSLServer>(tls->server_cert.get(), tls->server_key.get());
  } else {
    impl_->server = std::make_unique<httplib::Server>();
  }
  if (!impl_->server->is_valid()) throw std::runtime_error("dashscope-emulator: the HTTP server could not be created");

  auto& server = *impl_->server;
  // The library takes ownership of the queue it gets from this factory.
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  // Stream events must leave at once, not wait for Nagle.
  server.set_tcp_nodelay(true);
  // The library's default sets SO_REUSEPORT, which would let a second server
  // bind the same explicit port and silently share its connections.
  // SO_REUSEADDR alone still allows a quick restart on the same port.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.set_keep_alive_max_count(1000);

  Impl* impl = impl_.get();
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [impl](const httplib::Request& req, httplib::Response& res) {
        // Routes always answer with an x-request-id; leave their errors alone.
        if (res.has_header("x-request-id") || !impl->fallback) return httplib::Server::HandlerResponse::Unhandled;
        const HttpRequest request = to_request(req);
        if (impl->recorder) impl->recorder(request);
        HttpResponse out = impl->fallback(request, res.status);
        res.status = out.status;
        for (const auto& [key, value] : out.headers) res.set_header(key, value);
        res.set_content(out.body, out.content_type);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_header("x-request-id", "emulator-exception");
    res.set_content(
        R"({"error":{"message":"emulator route threw an exception","type":"internal_error","param":null,"code":"internal_error"}})",
        "application/json");
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::set_recorder(Recorder recorder) { impl_->recorder = std::move(recorder); }

void HttpServer::set_fallback(Fallback fallback) { impl_->fallback = std::move(fallback); }

void HttpServer::route(std::string_view method, const std::string& pattern, Handler handler) {
  Impl* impl = impl_.get();
  auto wrapped = [impl, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    const HttpRequest request = to_request(req);
    if (impl->recorder) impl->recorder(request);
    impl->apply(handler(request), res, req.remote_port);
  };
  auto& server = *impl_->server;
  if (method == "GET") {
    server.Get(pattern, wrapped);
  } else if (method == "POST") {
    server.Post(pattern, httplib::Server::Handler(wrapped));
  } else {
    throw std::logic_error("dashscope-emulator: unsupported route method");
  }
}

int HttpServer::bind(const std::string& host, int port) {
  auto& server = *impl_->server;
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error("dashscope-emulator: cannot listen on " + host + ":" + std::to_string(port));
  }
  impl_->port = bound;
  return bound;
}

void HttpServer::start() {
  auto* server = impl_->server.get();
  impl_->thread = std::thread([server] { server->listen_after_bind(); });
  impl_->started = true;
  // stop() is a no-op until the accept loop runs, so do not return before.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("dashscope-emulator: server did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void HttpServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();
  // Idle keep-alive connections would otherwise hold their worker (and this
  // join) for the whole keep-alive timeout. Shutting down the read side wakes
  // them with an EOF, and keeps the write side open so a TLS close_notify can
  // still be sent cleanly.
  for_each_connection(impl_->port, -1, [](int fd) { ::shutdown(fd, SHUT_RD); });
  impl_->thread.join();
}

}  // namespace dashscope_emulator::detail
