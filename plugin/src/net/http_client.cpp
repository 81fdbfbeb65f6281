// The one translation unit of the plugin that includes httplib.h: every
// other file sees only the types of http_client.hpp, so the HTTP library can
// be upgraded or replaced here alone.
#include "net/http_client.hpp"

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <fcntl.h>
#include <httplib.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "net/url.hpp"

namespace openclaw::qwen::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often the watcher polls the caller's CancelCheck. Small enough that
// cancellation feels immediate, large enough to cost nothing.
constexpr milliseconds kWatchInterval{10};

std::string format_ms(milliseconds duration) {
  const auto ms = duration.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

// httplib (and OpenSSL) write to sockets without MSG_NOSIGNAL, so a peer
// that resets the connection, or our own shutdown() on cancel, raises
// SIGPIPE, which would kill the host process. Changing the process-wide
// disposition from a plugin is not ours to do; instead SIGPIPE is blocked
// on this thread for the duration of the request and any SIGPIPE it caused
// is consumed before the old mask comes back.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
  }
  ~SigpipeBlock() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec no_wait{0, 0};
        while (sigtimedwait(&sigpipe_, nullptr, &no_wait) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t sigpipe_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

// Lets another thread abort whatever the connection's socket is blocked in.
//
// httplib's Client::stop() cannot do it in 0.11: connect and the TLS
// handshake run while the client holds its socket mutex, so stop() blocks
// until they finish. Instead the socket-options hook hands us each new
// socket; we keep a dup() of it (so the descriptor number can never be
// reused under us) and shutdown() that, which wakes any poll/connect/read on
// the shared socket at once.
class SocketHandle {
 public:
  ~SocketHandle() {
    if (fd_ >= 0) ::close(fd_);
  }

  void adopt(int socket_fd) {
    std::lock_guard lock(mutex_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::fcntl(socket_fd, F_DUPFD_CLOEXEC, 0);
    if (aborted_ && fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }

  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }

 private:
  std::mutex mutex_;
  int fd_ = -1;
  bool aborted_ = false;
};

enum class AbortReason : int { None, Cancelled, Deadline };

// Polls the caller's CancelCheck and the total deadline on its own thread,
// and aborts the request's socket when either fires.
class RequestWatcher {
 public:
  RequestWatcher(const CancelCheck& cancel, std::optional<Clock::time_point> deadline,
                 std::shared_ptr<SocketHandle> socket, std::atomic<AbortReason>& reason)
      : cancel_(cancel), deadline_(deadline), socket_(std::move(socket)), reason_(reason) {
    if (cancel_ || deadline_) thread_ = std::thread([this] { run(); });
  }
  ~RequestWatcher() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  RequestWatcher(const RequestWatcher&) = delete;
  RequestWatcher& operator=(const RequestWatcher&) = delete;

 private:
  bool cancelled() const {
    try {
      return cancel_ && cancel_();
    } catch (...) {
      return true;  // a broken cancel check must not kill the process; stop safely
    }
  }

  void run() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      AbortReason fired = AbortReason::None;
      if (cancelled()) fired = AbortReason::Cancelled;
      else if (deadline_ && Clock::now() >= *deadline_) fired = AbortReason::Deadline;
      if (fired != AbortReason::None) {
        reason_.store(fired);
        socket_->abort();
        return;
      }
      wake_.wait_for(lock, kWatchInterval);
    }
  }

  const CancelCheck& cancel_;
  std::optional<Clock::time_point> deadline_;
  std::shared_ptr<SocketHandle> socket_;
  std::atomic<AbortReason>& reason_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

struct Connection {
  std::unique_ptr<httplib::ClientImpl> client;
  httplib::SSLClient* tls = nullptr;  // same object as `client` for https
  std::shared_ptr<SocketHandle> socket;
};

TransportFailure make_failure(TransportErrorKind kind, std::string message, bool during_connect = false,
                              std::size_t bytes_received = 0) {
  TransportFailure failure;
  failure.kind = kind;
  failure.message = std::move(message);
  failure.during_connect = during_connect;
  failure.bytes_received = bytes_received;
  return failure;
}

bool is_token_char(char c) noexcept {
  // RFC 9110 tchar: what header names and methods may contain.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// A CR or LF in a header value would split the request (header injection);
// a key read from a .env file with a stray newline is the usual culprit.
bool is_safe_header_value(std::string_view value) noexcept {
  return std::none_of(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Names the offending header but never shows its value (it may be a key).
std::optional<std::string> invalid_request_reason(const HttpRequest& request) {
  if (!is_token(request.method)) return "invalid HTTP method \"" + request.method + "\"";
  for (const auto& field : request.headers.fields()) {
    if (!is_token(field.name)) return std::string("invalid HTTP header name");
    if (!is_safe_header_value(field.value)) {
      return "HTTP header " + field.name + " contains a line break or NUL character (check for a stray newline)";
    }
  }
  return std::nullopt;
}

constexpr const char* kCaHint =
    " If the server uses a private CA or a TLS-inspecting proxy sits in between, set SSL_CERT_FILE "
    "(or the CA bundle option) to a PEM file containing that CA certificate.";

}  // namespace

struct HttpClient::Impl {
  explicit Impl(HttpClientOptions opts) : options(std::move(opts)) {}

  HttpClientOptions options;
  mutable std::mutex pool_mutex;
  std::map<std::string, std::vector<Connection>> idle_pool;

  // What a single exchange observed, filled in by the httplib callbacks.
  struct Exchange {
    bool streaming = false;
    const BodyHandler* on_body = nullptr;
    const ResponseStartHandler* on_start = nullptr;
    std::size_t body_limit = 0;

    int status = 0;
    HttpHeaders headers;
    std::string body;
    bool headers_seen = false;
    std::size_t bytes_received = 0;
    Clock::time_point last_activity = Clock::now();
    bool stopped_by_handler = false;
    bool body_too_large = false;
    std::exception_ptr handler_exception;
  };

  std::string ca_bundle() const {
    if (!options.ca_bundle_path.empty()) return options.ca_bundle_path;
    if (options.env) {
      if (auto from_env = options.env("SSL_CERT_FILE"); from_env && !from_env->empty()) return *from_env;
    }
    return {};
  }

  Connection connect_new(const Url& url, const std::optional<ProxyEndpoint>& proxy) const {
    Connection conn;
    conn.socket = std::make_shared<SocketHandle>();
    if (url.is_https()) {
      auto tls = std::make_unique<httplib::SSLClient>(url.host(), url.port());
      conn.tls = tls.get();
      const std::string ca = ca_bundle();
      if (!ca.empty()) tls->set_ca_cert_path(ca);
      // Verification is on by default; stated here so nobody wonders.
      tls->enable_server_certificate_verification(true);
      conn.client = std::move(tls);
    } else {
      conn.client = std::make_unique<httplib::ClientImpl>(url.host(), url.port());
    }
    auto& cli = *conn.client;
    cli.set_keep_alive(true);
    cli.set_follow_location(false);  // a redirect is reported, never followed with our credentials
    cli.set_url_encode(false);       // targets are already encoded
    cli.set_tcp_nodelay(true);
    cli.set_socket_options([socket = conn.socket](socket_t fd) { socket->adopt(fd); });
    if (proxy) {
      cli.set_proxy(proxy->host, proxy->port);
      if (!proxy->username.empty()) cli.set_proxy_basic_auth(proxy->username, proxy->password);
    }
    return conn;
  }

  static std::string pool_key(const Url& url, const std::optional<ProxyEndpoint>& proxy) {
    std::string key = url.origin();
    key += proxy ? " via " + proxy->display() + " as " + proxy->username : std::string(" direct");
    return key;
  }

  Connection checkout(const std::string& key, const Url& url, const std::optional<ProxyEndpoint>& proxy) {
    {
      std::lock_guard lock(pool_mutex);
      if (auto it = idle_pool.find(key); it != idle_pool.end() && !it->second.empty()) {
        Connection conn = std::move(it->second.back());
        it->second.pop_back();
        return conn;
      }
    }
    return connect_new(url, proxy);
  }

  void park(const std::string& key, Connection conn) {
    if (!conn.client->is_socket_open()) return;
    std::lock_guard lock(pool_mutex);
    auto& slot = idle_pool[key];
    if (slot.size() < options.max_idle_connections_per_origin) slot.push_back(std::move(conn));
  }

  HttpResult execute(const HttpRequest& request, Exchange& exchange);
  TransportFailure classify(httplib::Error error, AbortReason abort_reason, const Connection& conn, const Url& url,
                            const std::optional<ProxyEndpoint>& proxy, const HttpTimeouts& timeouts,
                            const Exchange& exchange) const;
};

HttpResult HttpClient::Impl::execute(const HttpRequest& request, Exchange& exchange) {
  auto parsed = Url::parse(request.url);
  if (!parsed) return fail(make_failure(TransportErrorKind::InvalidRequest, "invalid request URL: " + parsed.error()));
  const Url& url = *parsed;
  if (auto reason = invalid_request_reason(request)) {
    return fail(make_failure(TransportErrorKind::InvalidRequest, std::move(*reason)));
  }

  auto proxy_result = resolve_proxy(url, options.env ? options.env : process_environment());
  if (!proxy_result) return fail(make_failure(TransportErrorKind::InvalidRequest, proxy_result.error()));
  const std::optional<ProxyEndpoint>& proxy = *proxy_result;

  const HttpTimeouts timeouts = request.timeouts.value_or(options.timeouts);
  const auto started = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (timeouts.total) deadline = started + *timeouts.total;

  try {
    if (request.cancel && request.cancel()) {
      return fail(make_failure(TransportErrorKind::Cancelled, "request cancelled before it was sent", true));
    }
  } catch (...) {
    return fail(make_failure(TransportErrorKind::Cancelled, "request cancelled (cancel check failed)", true));
  }

  const std::string key = pool_key(url, proxy);
  Connection conn = checkout(key, url, proxy);
  if (!conn.client->is_valid()) {
    return fail(make_failure(TransportErrorKind::Tls, "could not initialise TLS for " + url.origin(), true));
  }
  auto& cli = *conn.client;
  cli.set_connection_timeout(timeouts.connect);
  cli.set_read_timeout(timeouts.read_idle);
  cli.set_write_timeout(timeouts.read_idle);

  httplib::Request req;
  req.method = request.method;
  req.path = url.target();
  for (const auto& field : request.headers.fields()) req.headers.emplace(field.name, field.value);
  if (!request.headers.contains("User-Agent")) req.headers.emplace("User-Agent", options.user_agent);
  if (!request.body.empty() && !request.headers.contains("Content-Type")) {
    req.headers.emplace("Content-Type", "application/json");
  }
  req.body = request.body;

  std::atomic<AbortReason> abort_reason{AbortReason::None};
  const auto aborted = [&] { return abort_reason.load() != AbortReason::None; };

  req.response_handler = [&](const httplib::Response& res) -> bool {
    exchange.headers_seen = true;
    exchange.status = res.status;
    exchange.bytes_received = std::max<std::size_t>(exchange.bytes_received, 1);
    exchange.last_activity = Clock::now();
    for (const auto& [name, value] : res.headers) exchange.headers.add(name, value);
    if (aborted()) return false;
    if (exchange.on_start && *exchange.on_start) {
      try {
        if (!(*exchange.on_start)(exchange.status, exchange.headers)) {
          exchange.stopped_by_handler = true;
          return false;
        }
      } catch (...) {
        exchange.handler_exception = std::current_exception();
        return false;
      }
    }
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) -> bool {
    exchange.bytes_received += length;
    exchange.last_activity = Clock::now();
    if (aborted()) return false;
    const bool success = exchange.status >= 200 && exchange.status < 300;
    if (exchange.streaming && success) {
      try {
        if (!(*exchange.on_body)(std::string_view(data, length))) {
          exchange.stopped_by_handler = true;
          return false;
        }
      } catch (...) {
        exchange.handler_exception = std::current_exception();
        return false;
      }
      return true;
    }
    if (exchange.body.size() + length > exchange.body_limit) {
      if (exchange.streaming) {
        // An error body only needs its beginning; keep draining the rest so
        // the connection stays reusable.
        exchange.body.append(data, exchange.body_limit - std::min(exchange.body_limit, exchange.body.size()));
        return true;
      }
      exchange.body_too_large = true;
      return false;
    }
    exchange.body.append(data, length);
    return true;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  bool sent = false;
  {
    SigpipeBlock sigpipe_block;
    RequestWatcher watcher(request.cancel, deadline, conn.socket, abort_reason);
    sent = cli.send(req, res, error);
  }

  if (exchange.handler_exception) std::rethrow_exception(exchange.handler_exception);

  if (sent && !aborted() && !exchange.stopped_by_handler && !exchange.body_too_large) {
    HttpResponse response;
    response.status = res.status;
    if (exchange.headers_seen) {
      response.headers = std::move(exchange.headers);
    } else {
      for (const auto& [name, value] : res.headers) response.headers.add(name, value);
    }
    response.body = std::move(exchange.body);
    park(key, std::move(conn));
    return response;
  }
  // The connection is in an unknown state; dropping it closes the socket.
  return fail(classify(error, abort_reason.load(), conn, url, proxy, timeouts, exchange));
}

TransportFailure HttpClient::Impl::classify(httplib::Error error, AbortReason abort_reason,
                                            const Connection& conn, const Url& url,
                                            const std::optional<ProxyEndpoint>& proxy,
                                            const HttpTimeouts& timeouts, const Exchange& exchange) const {
  const std::size_t received = exchange.bytes_received;
  const std::string origin = url.origin();

  // Our own decisions first: the socket error they caused is a consequence.
  if (abort_reason == AbortReason::Cancelled) {
    return make_failure(TransportErrorKind::Cancelled, "request to " + origin + " cancelled", received == 0,
                        received);
  }
  if (abort_reason == AbortReason::Deadline) {
    return make_failure(TransportErrorKind::Timeout,
                        "request to " + origin + " did not complete within " +
                            format_ms(timeouts.total.value_or(milliseconds{0})),
                        received == 0 && !exchange.headers_seen, received);
  }
  if (exchange.stopped_by_handler) {
    return make_failure(TransportErrorKind::Cancelled, "response from " + origin + " stopped by its handler",
                        false, received);
  }
  if (exchange.body_too_large) {
    return make_failure(TransportErrorKind::Network,
                        "response from " + origin + " is larger than the limit of " +
                            std::to_string(exchange.body_limit) + " bytes",
                        false, received);
  }

  const std::string where = proxy ? origin + " (via proxy " + proxy->display() + ")" : origin;
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return make_failure(TransportErrorKind::Network,
                          proxy ? "could not connect to proxy " + proxy->display() + " for " + origin
                                : "could not connect to " + origin +
                                      " (connection refused, host unreachable or name not resolved)",
                          true);
    case httplib::Error::ConnectionTimeout:
      return make_failure(TransportErrorKind::Timeout,
                          "connecting to " + where + " timed out after " + format_ms(timeouts.connect), true);
    case httplib::Error::Read: {
      // httplib reports an idle timeout and a closed connection alike; the
      // time since the last byte tells them apart.
      const auto idle = std::chrono::duration_cast<milliseconds>(Clock::now() - exchange.last_activity);
      if (idle + milliseconds{50} >= timeouts.read_idle) {
        return make_failure(TransportErrorKind::Timeout,
                            "no data from " + where + " for " + format_ms(timeouts.read_idle) + " (read timeout)",
                            false, received);
      }
      return make_failure(TransportErrorKind::Network,
                          received == 0 ? "connection to " + where + " closed before a response arrived"
                                        : "connection to " + where + " closed before the response was complete",
                          false, received);
    }
    case httplib::Error::Write:
      return make_failure(TransportErrorKind::Network,
                          "connection to " + where + " lost while sending the request", false, received);
    case httplib::Error::Canceled:
      return make_failure(TransportErrorKind::Cancelled, "request to " + origin + " cancelled", false, received);
    case httplib::Error::SSLConnection:
      return make_failure(TransportErrorKind::Tls,
                          "TLS handshake with " + where +
                              " failed (the server may not speak TLS on this port, or no common protocol)",
                          true);
    case httplib::Error::SSLLoadingCerts: {
      const std::string ca = ca_bundle();
      return make_failure(TransportErrorKind::Tls,
                          ca.empty() ? std::string("could not load the system CA certificates")
                                     : "could not load CA certificates from " + ca +
                                           " (check the CA bundle option or SSL_CERT_FILE)",
                          true);
    }
    case httplib::Error::SSLServerVerification: {
      const long verify = conn.tls ? conn.tls->get_openssl_verify_result() : X509_V_OK;
      if (verify != X509_V_OK) {
        return make_failure(TransportErrorKind::Tls,
                            "certificate verify failed for " + url.host() + ": " +
                                X509_verify_cert_error_string(verify) + "." + kCaHint,
                            true);
      }
      return make_failure(TransportErrorKind::Tls,
                          "certificate verify failed: the certificate presented by " + where +
                              " is not valid for host " + url.host() + "." + kCaHint,
                          true);
    }
    case httplib::Error::Compression:
      return make_failure(TransportErrorKind::Network,
                          "could not decode the compressed response from " + origin, false, received);
    case httplib::Error::ExceedRedirectCount:
    case httplib::Error::UnsupportedMultipartBoundaryChars:
    case httplib::Error::Unknown:
    case httplib::Error::Success:
      break;
  }
  return make_failure(TransportErrorKind::Network,
                      "request to " + where + " failed (" + httplib::to_string(error) + ")", false, received);
}

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResult HttpClient::send(const HttpRequest& request) {
  Impl::Exchange exchange;
  exchange.body_limit = impl_->options.max_body_bytes;
  return impl_->execute(request, exchange);
}

HttpResult HttpClient::send_streaming(const HttpRequest& request, const BodyHandler& on_body,
                                      const ResponseStartHandler& on_start) {
  Impl::Exchange exchange;
  exchange.streaming = true;
  exchange.on_body = &on_body;
  exchange.on_start = &on_start;
  exchange.body_limit = impl_->options.max_error_body_bytes;
  if (!on_body) {
    return fail(make_failure(TransportErrorKind::InvalidRequest, "streaming request needs a body handler"));
  }
  return impl_->execute(request, exchange);
}

std::size_t HttpClient::idle_connection_count() const {
  std::lock_guard lock(impl_->pool_mutex);
  std::size_t count = 0;
  for (const auto& [key, connections] : impl_->idle_pool) count += connections.size();
  return count;
}

void HttpClient::close_idle_connections() {
  std::map<std::string, std::vector<Connection>> doomed;
  {
    std::lock_guard lock(impl_->pool_mutex);
    doomed.swap(impl_->idle_pool);
  }
}

}  // namespace openclaw::qwen::net
