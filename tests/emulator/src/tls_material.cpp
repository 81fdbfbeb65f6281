#include "tls_material.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <stdexcept>
#include <string_view>

namespace dashscope_emulator::detail {

namespace {

[[noreturn]] void fail(std::string_view what) {
  std::string message = "dashscope-emulator: TLS material: ";
  message += what;
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    char reason[256];
    ERR_error_string_n(code, reason, sizeof reason);
    message += ": ";
    message += reason;
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

// P-256 keys: generated in microseconds (RSA would cost a noticeable share of
// a sanitizer test run) and accepted by every TLS stack we care about.
EvpPkeyPtr new_key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("EC key generation failed");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) fail(std::string("bad extension ") + value);
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) fail("X509_add_ext failed");
}

X509Ptr new_cert(EVP_PKEY* key, const char* common_name) {
  X509Ptr cert(X509_new());
  if (!cert) fail("X509_new failed");
  X509_set_version(cert.get(), 2);  // v3, needed for extensions

  // A random serial: two emulators never issue look-alike certificates.
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
  if (!serial || BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    fail("serial number");
  }
  // Backdated an hour so small clock skew between processes does not matter.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  if (X509_set_pubkey(cert.get(), key) != 1) fail("X509_set_pubkey");

  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("DashScope Emulator"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name),
                             -1, -1, 0);
  return cert;
}

std::string pem_of(const std::function<int(BIO*)>& write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || write(bio.get()) != 1) fail("PEM encoding failed");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void write_file(const std::filesystem::path& path, const std::string& contents, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("dashscope-emulator: TLS material: cannot write " + path.string());
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("dashscope-emulator: TLS material: short write to " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, mode);  // O_CREAT's mode only applies to new files
  ::close(fd);
}

bool is_specific_ip(const std::string& address) {
  unsigned char buffer[16];
  if (address == "0.0.0.0" || address == "::" || address == "127.0.0.1" || address == "::1") return false;
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 || inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

}  // namespace

TlsMaterial make_tls_material(const std::filesystem::path& dir, const std::string& bind_address) {
  EvpPkeyPtr ca_key = new_key();
  X509Ptr ca = new_cert(ca_key.get(), "DashScope Emulator Throwaway CA");
  X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  if (X509_sign(ca.get(), ca_key.get(), EVP_sha256()) <= 0) fail("signing the CA");

  EvpPkeyPtr server_key = new_key();
  X509Ptr server = new_cert(server_key.get(), "localhost");
  X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get()));
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (is_specific_ip(bind_address)) san += ",IP:" + bind_address;
  add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_extension(server.get(), ca.get(), NID_subject_alt_name, san.c_str());
  add_extension(server.get(), ca.get(), NID_subject_key_identifier, "hash");
  add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  if (X509_sign(server.get(), ca_key.get(), EVP_sha256()) <= 0) fail("signing the server certificate");

  TlsMaterial material;
  material.ca_cert_path = dir / "ca.pem";
  material.server_cert_path = dir / "server.pem";
  material.server_key_path = dir / "server-key.pem";
  write_file(material.ca_cert_path, pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, ca.get()); }), 0644);
  write_file(material.server_cert_path,
             pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, server.get()); }), 0644);
  write_file(material.server_key_path, pem_of([&](BIO* bio) {
               return PEM_write_bio_PrivateKey(bio, server_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
             }),
             0600);
  material.server_cert = std::move(server);
  material.server_key = std::move(server_key);
  return material;
}

}  // namespace dashscope_emulator::detail
