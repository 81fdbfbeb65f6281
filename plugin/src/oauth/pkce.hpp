// PKCE (RFC 7636) for the Qwen Portal device login: a random code verifier
// and its S256 challenge, both base64url without padding.
#pragma once

#include "plugin_error.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace openclaw::qwen::oauth {

// base64url (RFC 4648 §5) without '=' padding.
std::string base64url(std::span<const unsigned char> bytes);

// 32 bytes from the OpenSSL CSPRNG, base64url: 43 characters, as Qwen's CLI
// makes them. SECRET: never logged, never in an error.
Result<std::string> new_code_verifier();

// base64url(SHA-256(verifier)).
Result<std::string> code_challenge_s256(std::string_view verifier);

}  // namespace openclaw::qwen::oauth
