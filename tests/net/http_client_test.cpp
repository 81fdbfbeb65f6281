#include "net/http_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "local_servers.hpp"

using namespace openclaw::qwen::net;
using openclaw::qwen::net::test::FullBacklogListener;
using openclaw::qwen::net::test::HangUpServer;
using openclaw::qwen::net::test::LocalServer;
using openclaw::qwen::net::test::SelfSignedCert;
using openclaw::qwen::net::test::SilentListener;
using openclaw::qwen::net::test::unused_port;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr const char* kSecret = "sk-test-SECRET-0123456789abcdef";

// Options that ignore the developer's real environment (proxies, CA file).
HttpClientOptions isolated_options(std::map<std::string, std::string> env = {}) {
  HttpClientOptions options;
  options.env = [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    if (auto it = env.find(std::string(name)); it != env.end()) return it->second;
    return std::nullopt;
  };
  options.timeouts.connect = milliseconds{2000};
  options.timeouts.read_idle = milliseconds{3000};
  return options;
}

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers.add("Authorization", std::string("Bearer ") + kSecret);
  return request;
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

// Sets a flag from another thread after `delay`, and records when.
struct DelayedCancel {
  explicit DelayedCancel(milliseconds delay)
      : thread([this, delay] {
          std::this_thread::sleep_for(delay);
          fired_at = Clock::now();
          flag.store(true);
        }) {}
  ~DelayedCancel() {
    if (thread.joinable()) thread.join();
  }
  CancelCheck check() {
    return [this] { return flag.load(); };
  }
  long long ms_since_cancel() {
    if (thread.joinable()) thread.join();
    return ms_since(fired_at);
  }
  std::atomic<bool> flag{false};
  Clock::time_point fired_at{};
  std::thread thread;
};

// A response that sends one small chunk every 20 ms for up to 3 s, like a
// slow token stream; it stops as soon as the client goes away.
void trickle(httplib::Server& server) {
  server.Get("/trickle", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
      for (int i = 0; i < 150; ++i) {
        const std::string event = "data: {\"n\":" + std::to_string(i) + "}\n\n";
        if (!sink.is_writable() || !sink.write(event.data(), event.size())) return false;
        std::this_thread::sleep_for(milliseconds{20});
      }
      sink.done();
      return true;
    });
  });
}

std::string write_temp_file(const std::string& content) {
  char path[] = "/tmp/openclaw-net-test-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path) << content;
  return path;
}

}  // namespace

TEST_CASE("A buffered GET returns status, body and case-insensitive headers", "[http]") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/v1/ping", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Request-Id", "req-123");
      res.set_content("pong", "text/plain");
    });
  });
  HttpClient client(isolated_options());
  auto result = client.send(get(server.url("/v1/ping")));
  REQUIRE(result.ok());
  CHECK(result->status == 200);
  CHECK(result->body == "pong");
  CHECK(result->headers.get("x-request-id") == "req-123");
  CHECK(result->headers.get("X-REQUEST-ID") == "req-123");
  CHECK_FALSE(result->headers.get("x-missing").has_value());
}

TEST_CASE("A POST sends its body and headers, with JSON as the default content type", "[http]") {
  std::mutex mutex;
  httplib::Request seen;
  LocalServer server([&](httplib::Server& s) {
    s.Post("/v1/chat/completions", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      seen = req;
      res.set_content("{}", "application/json");
    });
  });
  HttpClient client(isolated_options());
  HttpRequest request = get(server.url("/v1/chat/completions?x=1"));
  request.method = "POST";
  request.body = R"({"model":"qwen3.5-plus"})";
  request.headers.add("X-DashScope-Async", "enable");
  auto result = client.send(request);
  REQUIRE(result.ok());
  CHECK(result->status == 200);
  std::lock_guard lock(mutex);
  CHECK(seen.body == R"({"model":"qwen3.5-plus"})");
  CHECK(seen.get_header_value("Content-Type") == "application/json");
  CHECK(seen.get_header_value("X-DashScope-Async") == "enable");
  CHECK(seen.get_header_value("Authorization") == std::string("Bearer ") + kSecret);
  CHECK(seen.get_header_value("User-Agent") == "openclaw-qwen-plugin");
  CHECK(seen.get_param_value("x") == "1");
}

TEST_CASE("An HTTP error status is a response, not a transport failure", "[http]") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/denied", [](const httplib::Request&, httplib::Response& res) {
      res.status = 401;
      res.set_content(R"({"code":"InvalidApiKey","message":"Invalid API-key provided."})", "application/json");
    });
  });
  HttpClient client(isolated_options());
  auto result = client.send(get(server.url("/denied")));
  REQUIRE(result.ok());
  CHECK(result->status == 401);
  CHECK_FALSE(result->is_success());
  CHECK(result->body.find("InvalidApiKey") != std::string::npos);
}

TEST_CASE("Sequential requests to one origin reuse the kept-alive connection", "[http][keepalive]") {
  std::mutex mutex;
  std::vector<int> remote_ports;
  LocalServer server([&](httplib::Server& s) {
    s.Get("/port", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      remote_ports.push_back(req.remote_port);
      res.set_content("ok", "text/plain");
    });
  });
  HttpClient client(isolated_options());
  for (int i = 0; i < 3; ++i) {
    auto result = client.send(get(server.url("/port")));
    REQUIRE(result.ok());
    CHECK(client.idle_connection_count() == 1);
  }
  // A streaming request to the same origin also uses the parked connection.
  std::string streamed;
  auto streamed_result = client.send_streaming(get(server.url("/port")), [&](std::string_view chunk) {
    streamed.append(chunk);
    return true;
  });
  REQUIRE(streamed_result.ok());
  CHECK(streamed == "ok");

  std::lock_guard lock(mutex);
  REQUIRE(remote_ports.size() == 4);
  CHECK(remote_ports[1] == remote_ports[0]);
  CHECK(remote_ports[2] == remote_ports[0]);
  CHECK(remote_ports[3] == remote_ports[0]);

  client.close_idle_connections();
  CHECK(client.idle_connection_count() == 0);
}

TEST_CASE("Streaming hands body bytes to the callback as they arrive", "[http][stream]") {
  LocalServer server([](httplib::Server& s) {
    s.Post("/stream", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-DashScope-Request-Id", "stream-1");
      res.set_chunked_content_provider("text/event-stream", [](size_t, httplib::DataSink& sink) {
        for (int i = 0; i < 5; ++i) {
          const std::string event = "data: " + std::to_string(i) + "\n\n";
          sink.write(event.data(), event.size());
          std::this_thread::sleep_for(milliseconds{10});
        }
        sink.done();
        return true;
      });
    });
  });
  HttpClient client(isolated_options());
  HttpRequest request = get(server.url("/stream"));
  request.method = "POST";
  request.body = "{}";
  std::string received;
  int chunks = 0;
  int start_status = 0;
  std::string start_request_id;
  auto result = client.send_streaming(
      request,
      [&](std::string_view chunk) {
        received.append(chunk);
        ++chunks;
        return true;
      },
      [&](int status, const HttpHeaders& headers) {
        start_status = status;
        start_request_id = std::string(headers.get("x-dashscope-request-id").value_or(""));
        return true;
      });
  REQUIRE(result.ok());
  CHECK(result->status == 200);
  CHECK(result->body.empty());
  CHECK(received == "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
  CHECK(chunks >= 2);  // delivered incrementally, not as one buffer at the end
  CHECK(start_status == 200);
  CHECK(start_request_id == "stream-1");
}

TEST_CASE("A streamed error response is buffered for error mapping, not streamed", "[http][stream]") {
  LocalServer server([](httplib::Server& s) {
    s.Post("/stream", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "3");
      res.set_content(R"({"error":{"message":"Requests rate limit exceeded","code":"limit_requests"}})",
                      "application/json");
    });
  });
  HttpClient client(isolated_options());
  HttpRequest request = get(server.url("/stream"));
  request.method = "POST";
  bool body_callback_called = false;
  auto result = client.send_streaming(request, [&](std::string_view) {
    body_callback_called = true;
    return true;
  });
  REQUIRE(result.ok());
  CHECK(result->status == 429);
  CHECK(result->headers.get("retry-after") == "3");
  CHECK(result->body.find("limit_requests") != std::string::npos);
  CHECK_FALSE(body_callback_called);
}

TEST_CASE("A body callback returning false stops the stream as Cancelled", "[http][stream]") {
  LocalServer server(trickle);
  HttpClient client(isolated_options());
  int chunks = 0;
  const auto start = Clock::now();
  auto result = client.send_streaming(get(server.url("/trickle")), [&](std::string_view) { return ++chunks < 3; });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Cancelled);
  CHECK(result.error().bytes_received > 0);
  CHECK(chunks == 3);
  CHECK(ms_since(start) < 1000);
}

TEST_CASE("Exceptions from a body callback reach the caller", "[http][stream]") {
  LocalServer server(trickle);
  HttpClient client(isolated_options());
  CHECK_THROWS_WITH(client.send_streaming(get(server.url("/trickle")),
                                          [](std::string_view) -> bool { throw std::runtime_error("boom"); }),
                    "boom");
  CHECK(client.idle_connection_count() == 0);
}

TEST_CASE("Cancelling ends a request waiting for a response within 100 ms", "[http][cancel]") {
  SilentListener listener;
  HttpClient client(isolated_options());
  HttpRequest request = get(listener.url("/v1/chat/completions"));
  DelayedCancel cancel(milliseconds{50});
  request.cancel = cancel.check();
  auto result = client.send(request);
  const auto after_cancel = cancel.ms_since_cancel();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Cancelled);
  CHECK(after_cancel < 100);
  CHECK(result.error().message.find(kSecret) == std::string::npos);
}

TEST_CASE("Cancelling ends a request stuck in connect within 100 ms", "[http][cancel]") {
  FullBacklogListener listener;
  if (!listener.connect_hangs()) {
    WARN("the kernel did not leave connect() pending on a full accept queue; skipping");
    return;
  }
  HttpClient client(isolated_options());
  HttpRequest request = get(listener.url("/"));
  DelayedCancel cancel(milliseconds{50});
  request.cancel = cancel.check();
  auto result = client.send(request);
  const auto after_cancel = cancel.ms_since_cancel();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Cancelled);
  CHECK(result.error().during_connect);
  CHECK(after_cancel < 100);
}

TEST_CASE("Cancelling ends a running stream within 100 ms", "[http][cancel][stream]") {
  LocalServer server(trickle);
  HttpClient client(isolated_options());
  HttpRequest request = get(server.url("/trickle"));
  DelayedCancel cancel(milliseconds{80});
  request.cancel = cancel.check();
  std::size_t bytes = 0;
  auto result = client.send_streaming(request, [&](std::string_view chunk) {
    bytes += chunk.size();
    return true;
  });
  const auto after_cancel = cancel.ms_since_cancel();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Cancelled);
  CHECK(bytes > 0);
  CHECK(after_cancel < 100);
}

TEST_CASE("An already cancelled request is not sent", "[http][cancel]") {
  HttpClient client(isolated_options());
  HttpRequest request = get("http://127.0.0.1:" + std::to_string(unused_port()) + "/");
  request.cancel = [] { return true; };
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Cancelled);
}

TEST_CASE("A silent server trips the read timeout", "[http][timeout]") {
  SilentListener listener;
  HttpClient client(isolated_options());
  HttpRequest request = get(listener.url("/"));
  request.timeouts = HttpTimeouts{milliseconds{1000}, milliseconds{200}, std::nullopt};
  const auto start = Clock::now();
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Timeout);
  CHECK(result.error().bytes_received == 0);
  CHECK_FALSE(result.error().during_connect);
  CHECK(result.error().message.find("read timeout") != std::string::npos);
  CHECK(ms_since(start) < 1000);
}

TEST_CASE("A connect that does not complete trips the connect timeout", "[http][timeout]") {
  FullBacklogListener listener;
  if (!listener.connect_hangs()) {
    WARN("the kernel did not leave connect() pending on a full accept queue; skipping");
    return;
  }
  HttpClient client(isolated_options());
  HttpRequest request = get(listener.url("/"));
  request.timeouts = HttpTimeouts{milliseconds{200}, milliseconds{2000}, std::nullopt};
  const auto start = Clock::now();
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Timeout);
  CHECK(result.error().during_connect);
  CHECK(ms_since(start) < 1000);
}

TEST_CASE("The total deadline ends a stream that keeps trickling", "[http][timeout][stream]") {
  LocalServer server(trickle);
  HttpClient client(isolated_options());
  HttpRequest request = get(server.url("/trickle"));
  request.timeouts = HttpTimeouts{milliseconds{1000}, milliseconds{1000}, milliseconds{150}};
  const auto start = Clock::now();
  auto result = client.send_streaming(request, [](std::string_view) { return true; });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Timeout);
  CHECK(result.error().bytes_received > 0);
  const auto elapsed = ms_since(start);
  CHECK(elapsed >= 140);
  CHECK(elapsed < 300);
}

TEST_CASE("A refused connection is a Network failure during connect", "[http]") {
  HttpClient client(isolated_options());
  auto result = client.send(get("http://127.0.0.1:" + std::to_string(unused_port()) + "/v1/models"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Network);
  CHECK(result.error().during_connect);
  CHECK(result.error().bytes_received == 0);
  CHECK(result.error().message.find("could not connect to http://127.0.0.1:") != std::string::npos);
  CHECK(result.error().message.find(kSecret) == std::string::npos);
}

TEST_CASE("A connection closed before the response is a Network failure before the first byte", "[http]") {
  HangUpServer server;
  HttpClient client(isolated_options());
  auto result = client.send(get(server.url("/v1/chat/completions")));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::Network);
  CHECK_FALSE(result.error().during_connect);
  CHECK(result.error().bytes_received == 0);
  CHECK(result.error().message.find("closed before a response arrived") != std::string::npos);
}

TEST_CASE("Malformed URLs and proxy settings fail before anything is sent", "[http]") {
  HttpClient client(isolated_options());
  auto bad_url = client.send(get("ftp://example.com/file"));
  REQUIRE_FALSE(bad_url.ok());
  CHECK(bad_url.error().kind == TransportErrorKind::InvalidRequest);

  HttpClient proxied(isolated_options({{"HTTPS_PROXY", "socks5://user:hunter2@proxy:1080"}}));
  auto bad_proxy = proxied.send(get("https://dashscope.aliyuncs.com/compatible-mode/v1/models"));
  REQUIRE_FALSE(bad_proxy.ok());
  CHECK(bad_proxy.error().kind == TransportErrorKind::InvalidRequest);
  CHECK(bad_proxy.error().message.find("HTTPS_PROXY") != std::string::npos);
  CHECK(bad_proxy.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("Header values with line breaks are refused without echoing them", "[http]") {
  HttpClient client(isolated_options());
  HttpRequest request = get("http://127.0.0.1:" + std::to_string(unused_port()) + "/");
  request.headers.set("Authorization", std::string("Bearer ") + kSecret + "\n");
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == TransportErrorKind::InvalidRequest);
  CHECK(result.error().message.find("Authorization") != std::string::npos);
  CHECK(result.error().message.find(kSecret) == std::string::npos);

  HttpRequest bad_method = get("http://127.0.0.1:1/");
  bad_method.method = "GET /x HTTP/1.1\r\n";
  CHECK(client.send(bad_method).error().kind == TransportErrorKind::InvalidRequest);
  HttpRequest bad_name = get("http://127.0.0.1:1/");
  bad_name.headers.add("X Bad", "v");
  CHECK(client.send(bad_name).error().kind == TransportErrorKind::InvalidRequest);
}

TEST_CASE("Requests go through HTTP_PROXY, with credentials sent to the proxy only", "[http][proxy]") {
  std::mutex mutex;
  httplib::Request seen;
  LocalServer proxy([&](httplib::Server& s) {
    s.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      seen = req;
      res.set_content("via proxy", "text/plain");
    });
  });
  HttpClient client(
      isolated_options({{"HTTP_PROXY", "http://alice:s%40cret@127.0.0.1:" + std::to_string(proxy.port())}}));
  auto result = client.send(get("http://upstream.example/v1/models"));
  REQUIRE(result.ok());
  CHECK(result->body == "via proxy");
  std::lock_guard lock(mutex);
  CHECK(seen.get_header_value("Host") == "upstream.example");
  // alice:s@cret
  CHECK(seen.get_header_value("Proxy-Authorization") == "Basic YWxpY2U6c0BjcmV0");
}

TEST_CASE("HTTPS to a server whose certificate is not trusted fails with a Tls error", "[http][tls]") {
  SelfSignedCert server_cert;
  SelfSignedCert other_cert;  // the only CA the client trusts
  LocalServer server(server_cert, [](httplib::Server& s) {
    s.Get("/secure", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  });
  const std::string bundle = write_temp_file(other_cert.cert_pem());

  SECTION("with a CA bundle that does not contain it") {
    HttpClientOptions options = isolated_options();
    options.ca_bundle_path = bundle;
    HttpClient client(options);
    auto result = client.send(get(server.url("/secure")));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == TransportErrorKind::Tls);
    CHECK(result.error().during_connect);
    CHECK(result.error().message.find("certificate verify failed") != std::string::npos);
    CHECK(result.error().message.find("SSL_CERT_FILE") != std::string::npos);
    CHECK(result.error().message.find(kSecret) == std::string::npos);
  }
  SECTION("with the system store") {
    HttpClient client(isolated_options());
    auto result = client.send(get(server.url("/secure")));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == TransportErrorKind::Tls);
  }
  std::remove(bundle.c_str());
}

TEST_CASE("HTTPS succeeds when the CA bundle or SSL_CERT_FILE trusts the server", "[http][tls]") {
  SelfSignedCert server_cert;
  LocalServer server(server_cert, [](httplib::Server& s) {
    s.Get("/secure", [](const httplib::Request&, httplib::Response& res) { res.set_content("secret", "text/plain"); });
  });
  const std::string bundle = write_temp_file(server_cert.cert_pem());

  SECTION("CA bundle option") {
    HttpClientOptions options = isolated_options();
    options.ca_bundle_path = bundle;
    HttpClient client(options);
    auto result = client.send(get(server.url("/secure")));
    REQUIRE(result.ok());
    CHECK(result->body == "secret");
  }
  SECTION("SSL_CERT_FILE") {
    HttpClient client(isolated_options({{"SSL_CERT_FILE", bundle}}));
    auto result = client.send(get(server.url("/secure")));
    REQUIRE(result.ok());
    CHECK(result->body == "secret");
  }
  SECTION("a CA bundle path that does not exist") {
    HttpClientOptions options = isolated_options();
    options.ca_bundle_path = "/nonexistent/ca.pem";
    HttpClient client(options);
    auto result = client.send(get(server.url("/secure")));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == TransportErrorKind::Tls);
    CHECK(result.error().message.find("/nonexistent/ca.pem") != std::string::npos);
  }
  std::remove(bundle.c_str());
}
