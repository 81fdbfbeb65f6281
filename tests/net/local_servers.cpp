#include "local_servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace openclaw::qwen::net::test {
namespace {

int bound_socket(int& port_out) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("bind() failed");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_out = ntohs(addr.sin_port);
  return fd;
}

std::string loopback_url(bool tls, int port, const std::string& path) {
  return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) + path;
}

}  // namespace

SelfSignedCert::SelfSignedCert() {
  key = EVP_EC_gen("P-256");
  cert = X509_new();
  if (key == nullptr || cert == nullptr) throw std::runtime_error("OpenSSL key/cert allocation failed");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 4242);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24L * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1,
                             -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                                   std::pair{NID_subject_key_identifier, "hash"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error("X509V3_EXT_conf_nid failed");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");
}

SelfSignedCert::~SelfSignedCert() {
  X509_free(cert);
  EVP_PKEY_free(key);
}

std::string SelfSignedCert::cert_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

LocalServer::LocalServer(const Setup& setup) : server_(std::make_unique<httplib::Server>()) { start(setup); }

LocalServer::LocalServer(const SelfSignedCert& cert, const Setup& setup)
    : server_(std::make_unique<httplib::SSLServer>(cert.cert, cert.key)), tls_(true) {
  start(setup);
}

void LocalServer::start(const Setup& setup) {
  setup(*server_);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("test server could not bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

LocalServer::~LocalServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string LocalServer::url(const std::string& path) const { return loopback_url(tls_, port_, path); }

SilentListener::SilentListener() {
  fd_ = bound_socket(port_);
  ::listen(fd_, 16);
}

SilentListener::~SilentListener() { ::close(fd_); }

std::string SilentListener::url(const std::string& path) const { return loopback_url(false, port_, path); }

FullBacklogListener::FullBacklogListener() {
  fd_ = bound_socket(port_);
  ::listen(fd_, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  // Connect until one attempt stays pending: the accept queue is then full.
  for (int attempt = 0; attempt < 16; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    pollfd pfd{fd, POLLOUT, 0};
    const int ready = ::poll(&pfd, 1, 200);
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (ready == 1 && so_error == 0) {
      fillers_.push_back(fd);
      continue;
    }
    ::close(fd);
    hangs_ = ready == 0;
    break;
  }
}

FullBacklogListener::~FullBacklogListener() {
  for (const int fd : fillers_) ::close(fd);
  ::close(fd_);
}

std::string FullBacklogListener::url(const std::string& path) const { return loopback_url(false, port_, path); }

HangUpServer::HangUpServer() {
  fd_ = bound_socket(port_);
  ::listen(fd_, 16);
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) != 1) continue;
      const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      pollfd readable{conn, POLLIN, 0};
      if (::poll(&readable, 1, 1000) == 1) {
        char buffer[4096];
        (void)::recv(conn, buffer, sizeof(buffer), 0);
      }
      ::close(conn);
    }
  });
}

HangUpServer::~HangUpServer() {
  stop_.store(true);
  thread_.join();
  ::close(fd_);
}

std::string HangUpServer::url(const std::string& path) const { return loopback_url(false, port_, path); }

int unused_port() {
  int port = 0;
  const int fd = bound_socket(port);
  ::close(fd);
  return port;
}

}  // namespace openclaw::qwen::net::test
