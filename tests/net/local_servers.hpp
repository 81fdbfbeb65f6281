// Local servers for the HTTP client tests, all on 127.0.0.1 with an
// ephemeral port: a real httplib server (HTTP or HTTPS), a listener that
// accepts connections but never answers, and one whose accept queue is full
// so connecting hangs.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace openclaw::qwen::net::test {

// A self-signed certificate for 127.0.0.1 / localhost, made with OpenSSL.
struct SelfSignedCert {
  SelfSignedCert();
  ~SelfSignedCert();
  SelfSignedCert(const SelfSignedCert&) = delete;
  SelfSignedCert& operator=(const SelfSignedCert&) = delete;

  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  std::string cert_pem() const;
};

class LocalServer {
 public:
  using Setup = std::function<void(httplib::Server&)>;

  // Plain HTTP.
  explicit LocalServer(const Setup& setup);
  // HTTPS with the given certificate.
  LocalServer(const SelfSignedCert& cert, const Setup& setup);
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port><path>" (https for the TLS server).
  std::string url(const std::string& path = "") const;

 private:
  void start(const Setup& setup);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool tls_ = false;
};

// Accepts TCP connections in the kernel (listen without accept) and never
// sends a byte: requests stall waiting for the response.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }
  std::string url(const std::string& path = "") const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A listener with a full accept queue: the kernel drops further SYNs, so a
// new connection attempt hangs in connect().
class FullBacklogListener {
 public:
  FullBacklogListener();
  ~FullBacklogListener();
  FullBacklogListener(const FullBacklogListener&) = delete;
  FullBacklogListener& operator=(const FullBacklogListener&) = delete;
  int port() const { return port_; }
  std::string url(const std::string& path = "") const;
  // False if the kernel did not behave as expected (the test then skips).
  bool connect_hangs() const { return hangs_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  bool hangs_ = false;
  std::vector<int> fillers_;
};

// Accepts each connection, reads the request, and closes without answering.
class HangUpServer {
 public:
  HangUpServer();
  ~HangUpServer();
  HangUpServer(const HangUpServer&) = delete;
  HangUpServer& operator=(const HangUpServer&) = delete;
  int port() const { return port_; }
  std::string url(const std::string& path = "") const;

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A port on which nothing listens (bound, then closed).
int unused_port();

}  // namespace openclaw::qwen::net::test
