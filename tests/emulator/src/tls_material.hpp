// Throwaway TLS identity for the HTTPS emulator: a fresh CA and a server
// certificate it signed, generated in memory at startup. Nothing secret is
// ever checked in, and every emulator instance trusts only its own CA.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>

namespace dashscope_emulator::detail {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

struct TlsMaterial {
  X509Ptr server_cert;
  EvpPkeyPtr server_key;
  std::filesystem::path ca_cert_path;      // PEM, what clients trust
  std::filesystem::path server_cert_path;  // PEM
  std::filesystem::path server_key_path;   // PEM, mode 0600
};

// Creates the CA and the server certificate (SAN DNS:localhost,
// IP:127.0.0.1, IP:::1, plus `bind_address` when it is a specific IP) and
// writes ca.pem, server.pem and server-key.pem into `dir`. The CA's private
// key never leaves memory. Throws std::runtime_error on failure.
TlsMaterial make_tls_material(const std::filesystem::path& dir, const std::string& bind_address);

}  // namespace dashscope_emulator::detail
