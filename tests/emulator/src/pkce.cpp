// PKCE S256 (RFC 7636): the challenge is base64url(SHA-256(verifier)).
#include <openssl/evp.h>

#include <stdexcept>
#include <string>

#include "dashscope_emulator/emulator.hpp"

namespace dashscope_emulator {

std::string pkce_challenge(std::string_view code_verifier) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(code_verifier.data(), code_verifier.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned int i = 0; i < digest_size; ++i) {
    buffer = (buffer << 8) | digest[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3FU];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3FU];
  return out;  // no '=' padding, as PKCE requires
}

}  // namespace dashscope_emulator
