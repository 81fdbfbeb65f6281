#include "oauth/qwen_oauth.hpp"

#include "provider_specs.hpp"

#include "net/error_mapping.hpp"
#include "net/url.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace openclaw::qwen::oauth {

namespace json = boost::json;

namespace {

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::optional<double> number_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  if (value->is_uint64()) return static_cast<double>(value->as_uint64());
  if (value->is_double()) return value->as_double();
  return std::nullopt;
}

}  // namespace

Result<std::string> oauth_base_url(const json::object& provider_config) {
  const auto* value = provider_config.if_contains(kOAuthBaseUrlKey);
  if (value == nullptr || value->is_null()) return std::string(kDefaultOAuthBaseUrl);
  const std::string where = "models.providers.qwen-oauth." + std::string(kOAuthBaseUrlKey);
  if (!value->is_string()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, where + " must be a string.",
                      "Set it to an origin such as https://chat.qwen.ai, or remove it.");
  }
  std::string url(trim(value->as_string()));
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto parsed = net::Url::parse(url);
  if (url.empty() || !parsed) {
    return make_error(OC_ERR_INVALID_ARGUMENT, where + " is not an http(s) URL.",
                      "Set it to an origin such as https://chat.qwen.ai, or remove it to use Qwen's.");
  }
  return url;
}

std::string form_encode(const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto encode = [](std::string& out, std::string_view text) {
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
        out += c;
      } else {
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
      }
    }
  };
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    encode(out, key);
    out += '=';
    encode(out, value);
  }
  return out;
}

std::string normalize_resource_url(std::string_view resource_url) {
  const auto text = trim(resource_url);
  if (text.empty()) return std::string(kPortalBaseUrl);
  std::string url = starts_with_icase(text, "https://") || starts_with_icase(text, "http://")
                        ? std::string(text)
                        : "https://" + std::string(text);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!net::Url::parse(url)) return std::string(kPortalBaseUrl);
  if (url.size() < 3 || url.compare(url.size() - 3, 3, "/v1") != 0) url += "/v1";
  return url;
}

std::uint32_t slowed_interval_ms(std::uint32_t current_ms) {
  const std::uint64_t stretched = std::uint64_t{current_ms} * 3 / 2;
  const auto capped = static_cast<std::uint32_t>(std::min<std::uint64_t>(stretched, kMaxSlowDownIntervalMs));
  return std::max(capped, current_ms);
}

OAuthErrorBody parse_oauth_error(std::string_view body) {
  OAuthErrorBody out;
  json::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return out;
  const auto& object = value.as_object();
  out.error = net::truncate_utf8(net::redact_secrets(string_field(object, "error")), 64);
  out.description = net::truncate_utf8(net::redact_secrets(string_field(object, "error_description")), 300);
  return out;
}

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<json::object> token_document(std::string_view body, std::string_view fallback_refresh,
                                    bool default_resource_url) {
  json::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) {
    return make_error(OC_ERR_UPSTREAM, "The Qwen Portal token reply is not a JSON object.",
                      "Try again in a moment; if it keeps failing, log in again: claw-host login qwen-oauth");
  }
  const auto& reply = value.as_object();
  const auto access = string_field(reply, "access_token");
  if (access.empty()) {
    return make_error(OC_ERR_UPSTREAM, "The Qwen Portal token reply has no access_token.",
                      "Try again in a moment; if it keeps failing, log in again: claw-host login qwen-oauth");
  }
  json::object out{{"status", "success"}, {"access", access}};
  auto refresh = string_field(reply, "refresh_token");
  if (refresh.empty()) refresh = std::string(fallback_refresh);
  if (!refresh.empty()) out["refresh"] = refresh;
  if (const auto expires_in = number_field(reply, "expires_in"); expires_in && *expires_in > 0) {
    out["expiresAt"] = unix_ms_now() + static_cast<std::int64_t>(*expires_in * 1000.0);
  }
  const auto resource = string_field(reply, "resource_url");
  if (!resource.empty() || default_resource_url) out["resourceUrl"] = normalize_resource_url(resource);
  if (const auto type = string_field(reply, "token_type"); !type.empty()) out["tokenType"] = type;
  return out;
}

}  // namespace openclaw::qwen::oauth
