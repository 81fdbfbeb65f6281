#include "oauth/pkce.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace openclaw::qwen::oauth {

std::string base64url(std::span<const unsigned char> bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned value = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | bytes[i + 2];
    out += kAlphabet[(value >> 18) & 63];
    out += kAlphabet[(value >> 12) & 63];
    out += kAlphabet[(value >> 6) & 63];
    out += kAlphabet[value & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned value = unsigned{bytes[i]} << 16;
    if (rest == 2) value |= unsigned{bytes[i + 1]} << 8;
    out += kAlphabet[(value >> 18) & 63];
    out += kAlphabet[(value >> 12) & 63];
    if (rest == 2) out += kAlphabet[(value >> 6) & 63];
  }
  return out;
}

Result<std::string> new_code_verifier() {
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return make_error(OC_ERR_INTERNAL, "The system random number generator failed (OpenSSL RAND_bytes).",
                      "Check that /dev/urandom is readable, then try the login again.");
  }
  return base64url(random);
}

Result<std::string> code_challenge_s256(std::string_view verifier) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    return make_error(OC_ERR_INTERNAL, "OpenSSL could not compute SHA-256 for the PKCE challenge.",
                      "Check the OpenSSL installation (libssl3), then try the login again.");
  }
  return base64url(std::span<const unsigned char>(digest.data(), size));
}

}  // namespace openclaw::qwen::oauth
