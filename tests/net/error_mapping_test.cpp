#include "net/error_mapping.hpp"

#include <catch2/catch.hpp>

using namespace openclaw::qwen::net;
using std::chrono::seconds;

namespace {

// 2026-11-26 12:00:00 UTC
const auto kNow = std::chrono::system_clock::time_point(seconds(1795694400));

ErrorContext standard_endpoint() {
  ErrorContext context;
  context.model = "qwen3.6-plus";
  context.now = kNow;
  return context;
}

ErrorContext coding_plan_endpoint(std::string_view standard_choice = "qwen-standard-api-key") {
  ErrorContext context = standard_endpoint();
  context.coding_plan_endpoint = true;
  context.standard_auth_choice = standard_choice;
  return context;
}

}  // namespace

TEST_CASE("Compatible-mode 401 bodies map to Auth with message, code and request id", "[errors]") {
  const auto error = map_http_error(
      401, {},
      R"({"error":{"message":"Incorrect API key provided. ","type":"invalid_request_error","param":null,"code":"invalid_api_key"},"request_id":"7d1a-42"})",
      standard_endpoint());
  CHECK(error.kind == ErrorKind::Auth);
  CHECK(to_string(error.kind) == "auth");
  CHECK(error.http_status == 401);
  CHECK(error.upstream_code == "invalid_api_key");
  CHECK(error.upstream_type == "invalid_request_error");
  CHECK(error.upstream_message == "Incorrect API key provided. ");
  CHECK(error.request_id == "7d1a-42");
  CHECK(error.message.find("authentication failed (HTTP 401)") != std::string::npos);
  CHECK(error.permanent);
  CHECK(error.display().find("request id 7d1a-42") != std::string::npos);
}

TEST_CASE("Native DashScope bodies are understood too", "[errors]") {
  const auto error = map_http_error(
      401, {}, R"({"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"abc-1"})",
      standard_endpoint());
  CHECK(error.kind == ErrorKind::Auth);
  CHECK(error.upstream_code == "InvalidApiKey");
  CHECK(error.upstream_message == "Invalid API-key provided.");
  CHECK(error.request_id == "abc-1");
}

TEST_CASE("403 is Auth, with a Coding Plan specific hint on Coding Plan hosts", "[errors]") {
  const auto standard = map_http_error(403, {}, R"({"code":"AccessDenied","message":"denied"})", standard_endpoint());
  CHECK(standard.kind == ErrorKind::Auth);
  const auto coding = map_http_error(403, {}, R"({"error":{"message":"invalid api-key"}})", coding_plan_endpoint());
  CHECK(coding.kind == ErrorKind::Auth);
  CHECK(coding.hint.find("sk-sp-") != std::string::npos);
}

TEST_CASE("An overdue account is an Auth error whatever the status", "[errors]") {
  const auto error = map_http_error(
      400, {},
      R"({"code":"Arrearage","message":"Access denied, please make sure your account is in good standing.","request_id":"r"})",
      standard_endpoint());
  CHECK(error.kind == ErrorKind::Auth);
  CHECK(error.message.find("not in good standing") != std::string::npos);
}

TEST_CASE("The request id falls back to the DashScope and generic headers", "[errors]") {
  HttpHeaders headers{{"X-DashScope-Request-Id", "ds-9"}, {"X-Request-Id", "gen-1"}};
  CHECK(map_http_error(500, headers, "", standard_endpoint()).request_id == "ds-9");
  CHECK(map_http_error(500, HttpHeaders{{"x-request-id", "gen-1"}}, "", standard_endpoint()).request_id == "gen-1");
  // The body's id wins.
  CHECK(map_http_error(500, headers, R"({"request_id":"body-7","message":"x"})", standard_endpoint()).request_id ==
        "body-7");
}

TEST_CASE("429 is RateLimited with Retry-After in seconds", "[errors]") {
  const auto error = map_http_error(
      429, HttpHeaders{{"Retry-After", "7"}},
      R"({"error":{"message":"Requests rate limit exceeded, please try again later.","type":"limit_requests","code":"limit_requests"}})",
      standard_endpoint());
  CHECK(error.kind == ErrorKind::RateLimited);
  CHECK(to_string(error.kind) == "rate-limited");
  REQUIRE(error.retry_after.has_value());
  CHECK(*error.retry_after == seconds(7));
  CHECK(error.message.find("retry after 7 s") != std::string::npos);
  CHECK_FALSE(error.permanent);
}

TEST_CASE("429 accepts Retry-After as an HTTP date", "[errors]") {
  const auto error = map_http_error(429, HttpHeaders{{"retry-after", "Thu, 26 Nov 2026 12:00:45 GMT"}},
                                    R"({"code":"Throttling.RateQuota","message":"Requests rate limit exceeded"})",
                                    standard_endpoint());
  CHECK(error.kind == ErrorKind::RateLimited);
  REQUIRE(error.retry_after.has_value());
  CHECK(*error.retry_after == seconds(45));
}

TEST_CASE("A 429 that means the quota is used up is marked permanent", "[errors]") {
  const auto error = map_http_error(
      429, {}, R"({"code":"Throttling.AllocationQuota","message":"Free allocated quota exceeded."})",
      standard_endpoint());
  CHECK(error.kind == ErrorKind::RateLimited);
  CHECK(error.permanent);
  CHECK(error.message.find("quota exhausted") != std::string::npos);
}

TEST_CASE("Retry-After parsing covers seconds and the three HTTP date formats", "[errors][retry-after]") {
  CHECK(parse_retry_after("120", kNow) == seconds(120));
  CHECK(parse_retry_after(" 0 ", kNow) == seconds(0));
  CHECK(parse_retry_after("1.5", kNow) == seconds(2));
  CHECK(parse_retry_after("3.0", kNow) == seconds(3));
  CHECK(parse_retry_after("Thu, 26 Nov 2026 12:01:00 GMT", kNow) == seconds(60));
  CHECK(parse_retry_after("Thursday, 26-Nov-26 12:01:00 GMT", kNow) == seconds(60));
  CHECK(parse_retry_after("Thu Nov 26 12:01:00 2026", kNow) == seconds(60));
  CHECK(parse_retry_after("Wed, 25 Nov 2026 12:00:00 GMT", kNow) == seconds(0));  // in the past
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == seconds(0));
  CHECK_FALSE(parse_retry_after("", kNow).has_value());
  CHECK_FALSE(parse_retry_after("soon", kNow).has_value());
  CHECK_FALSE(parse_retry_after("-5", kNow).has_value());
  CHECK_FALSE(parse_retry_after("12abc", kNow).has_value());
  CHECK_FALSE(parse_retry_after("Thu, 26 Nov 2026 25:00:00 GMT", kNow).has_value());
  CHECK_FALSE(parse_retry_after("Thu, 26 Foo 2026 12:00:00 GMT", kNow).has_value());
  CHECK(parse_retry_after("99999999999999999999999", kNow).value() > seconds(1'000'000));
}

TEST_CASE("Coding Plan 'model is not supported' replies map to ModelUnsupportedOnPlan", "[errors][plan]") {
  const char* bodies[] = {
      R"({"error":{"message":"model `qwen3.6-plus` is not supported.","type":"invalid_request_error","code":"invalid_parameter_error"},"request_id":"cp-1"})",
      R"({"code":"InvalidParameter","message":"model 'qwen3.6-plus' is not supported","request_id":"cp-1"})",
      R"({"error":{"message":"The requested model is not supported.","code":"model_not_supported","type":"invalid_request_error"}})",
      R"({"error":{"message":"Model not supported","code":"BadRequest"}})",
  };
  for (const char* body : bodies) {
    INFO(body);
    const auto error = map_http_error(400, {}, body, coding_plan_endpoint());
    CHECK(error.kind == ErrorKind::ModelUnsupportedOnPlan);
    CHECK(to_string(error.kind) == "model-unsupported-on-plan");
    CHECK(error.message.find("qwen3.6-plus is not supported on the Qwen Coding Plan endpoint") != std::string::npos);
    CHECK(error.hint.find("use a Standard (pay-as-you-go) endpoint") != std::string::npos);
    CHECK(error.hint.find("qwen-standard-api-key") != std::string::npos);
    CHECK(error.permanent);
  }
}

TEST_CASE("The plan hint names the Standard auth choice of the same region", "[errors][plan]") {
  const char* body = R"({"error":{"message":"model `qwen3.6-plus` is not supported."}})";
  CHECK(map_http_error(400, {}, body, coding_plan_endpoint("qwen-standard-api-key-cn")).hint.find(
            "qwen-standard-api-key-cn") != std::string::npos);
  const auto global = map_http_error(400, {}, body, coding_plan_endpoint("qwen-standard-api-key"));
  CHECK(global.kind == ErrorKind::ModelUnsupportedOnPlan);
  CHECK(global.hint.find("qwen-standard-api-key-cn") == std::string::npos);
}

TEST_CASE("'Not supported' replies elsewhere, or about other things, stay BadRequest", "[errors][plan]") {
  const char* unsupported = R"({"error":{"message":"model `qwen3.6-plus` is not supported."}})";
  CHECK(map_http_error(400, {}, unsupported, standard_endpoint()).kind == ErrorKind::BadRequest);
  const auto other = map_http_error(
      400, {}, R"({"error":{"message":"The image format is not supported by this model.","code":"invalid_parameter_error"}})",
      coding_plan_endpoint());
  CHECK(other.kind == ErrorKind::BadRequest);
  CHECK(map_http_error(400, {}, R"({"code":"InvalidParameter","message":"Model not exist."})", coding_plan_endpoint())
            .kind == ErrorKind::BadRequest);
}

TEST_CASE("Client errors map to BadRequest with the upstream message", "[errors]") {
  for (int status : {400, 404, 413, 422}) {
    const auto error = map_http_error(
        status, {}, R"({"code":"InvalidParameter","message":"Range of input length should be [1, 1000000]"})",
        standard_endpoint());
    INFO(status);
    CHECK(error.kind == ErrorKind::BadRequest);
    CHECK(to_string(error.kind) == "bad-request");
    CHECK(error.message.find("Range of input length") != std::string::npos);
  }
}

TEST_CASE("Server errors map to Upstream; plain-text and HTML bodies are kept short", "[errors]") {
  const auto json_error = map_http_error(500, {}, R"({"code":"InternalError","message":"An internal error has occured"})",
                                         standard_endpoint());
  CHECK(json_error.kind == ErrorKind::Upstream);
  CHECK_FALSE(json_error.permanent);

  const std::string html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + std::string(5000, 'x') +
                           "</body></html>";
  const auto gateway = map_http_error(502, {}, html, standard_endpoint());
  CHECK(gateway.kind == ErrorKind::Upstream);
  CHECK(gateway.upstream_message.starts_with("<html> <head><title>502 Bad Gateway</title>"));
  CHECK(gateway.upstream_message.size() < 400);
  CHECK(gateway.message.size() < 500);

  const auto string_error = map_http_error(405, {}, R"({"error":"Coding Plan is currently only available for Coding Agents"})",
                                           coding_plan_endpoint());
  CHECK(string_error.kind == ErrorKind::BadRequest);
  CHECK(string_error.upstream_message == "Coding Plan is currently only available for Coding Agents");
}

TEST_CASE("Huge upstream messages are truncated on a character boundary", "[errors]") {
  std::string long_message;
  for (int i = 0; i < 400; ++i) long_message += "\xE4\xBD\xA0";  // 1200 bytes of 3-byte characters
  const auto error = map_http_error(400, {}, R"({"message":")" + long_message + R"("})", standard_endpoint());
  CHECK(error.upstream_message.size() <= 512 + 3);
  CHECK(error.upstream_message.ends_with("\xE2\x80\xA6"));
  // Every kept character is whole: the length before the ellipsis is a multiple of 3.
  CHECK((error.upstream_message.size() - 3) % 3 == 0);
}

TEST_CASE("Secrets in upstream text are redacted", "[errors][redact]") {
  const auto error = map_http_error(
      401, {},
      R"({"error":{"message":"Incorrect API key provided: sk-sp-a1b2c3d4e5f6g7h8i9j0WXYZ. Header was Bearer sk-abcdefghijklmnop1234"}})",
      standard_endpoint());
  CHECK(error.upstream_message.find("a1b2c3d4") == std::string::npos);
  CHECK(error.upstream_message.find("sk-\xE2\x80\xA6WXYZ") != std::string::npos);
  CHECK(error.upstream_message.find("abcdefghijklmnop") == std::string::npos);
  CHECK(error.upstream_message.find("Bearer \xE2\x80\xA6" "1234") != std::string::npos);
  CHECK(error.message.find("a1b2c3d4") == std::string::npos);
}

TEST_CASE("redact_secrets keeps ordinary text intact", "[errors][redact]") {
  CHECK(redact_secrets("no secrets here") == "no secrets here");
  CHECK(redact_secrets("task-1234567890abcdef") == "task-1234567890abcdef");  // "sk-" inside a word
  CHECK(redact_secrets("sk-short") == "sk-short");
  CHECK(redact_secrets("key sk-0123456789 end") == "key sk-\xE2\x80\xA6 end");  // too short to show a tail
  CHECK(redact_secrets("authorization: bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig") ==
        "authorization: bearer \xE2\x80\xA6.sig");
  CHECK(redact_secrets("SK-ABCDEFGHIJKLMNOP") == "sk-\xE2\x80\xA6MNOP");
}

TEST_CASE("truncate_utf8 only cuts when needed", "[errors]") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("exactly10!", 10) == "exactly10!");
  CHECK(truncate_utf8("0123456789abc", 10) == "0123456789\xE2\x80\xA6");
  CHECK(truncate_utf8("ab\xE4\xBD\xA0", 3) == "ab\xE2\x80\xA6");
}

TEST_CASE("Transport failures map to their own kinds and keep retry facts", "[errors]") {
  TransportFailure refused{TransportErrorKind::Network, "could not connect to https://x", true, 0};
  const auto network = map_transport_error(refused);
  CHECK(network.kind == ErrorKind::Network);
  CHECK(network.connect_failure);
  CHECK_FALSE(network.response_started);
  CHECK(network.http_status == 0);

  TransportFailure timeout{TransportErrorKind::Timeout, "no data for 120 s", false, 512};
  const auto timed_out = map_transport_error(timeout);
  CHECK(timed_out.kind == ErrorKind::Timeout);
  CHECK(timed_out.response_started);

  CHECK(map_transport_error({TransportErrorKind::Cancelled, "cancelled", false, 0}).kind == ErrorKind::Cancelled);
  CHECK(map_transport_error({TransportErrorKind::Tls, "certificate verify failed", true, 0}).kind == ErrorKind::Tls);
  CHECK(map_transport_error({TransportErrorKind::InvalidRequest, "bad URL", false, 0}).kind == ErrorKind::BadRequest);
  CHECK(to_string(ErrorKind::Tls) == "tls");
  CHECK(to_string(ErrorKind::Network) == "network");
  CHECK(to_string(ErrorKind::Timeout) == "timeout");
  CHECK(to_string(ErrorKind::Cancelled) == "cancelled");
  CHECK(to_string(ErrorKind::Upstream) == "upstream");
}

TEST_CASE("A proxy asking for credentials is reported as a network problem", "[errors]") {
  const auto error = map_http_error(407, {}, "", standard_endpoint());
  CHECK(error.kind == ErrorKind::Network);
  CHECK(error.hint.find("HTTPS_PROXY") != std::string::npos);
}
