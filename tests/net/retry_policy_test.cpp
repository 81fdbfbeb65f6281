#include "net/retry_policy.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace openclaw::qwen::net;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

ApiError http_error(ErrorKind kind, int status, std::optional<seconds> retry_after = std::nullopt) {
  ApiError error;
  error.kind = kind;
  error.http_status = status;
  error.retry_after = retry_after;
  return error;
}

ApiError transport_error(ErrorKind kind, bool connect_failure, bool response_started = false) {
  ApiError error;
  error.kind = kind;
  error.connect_failure = connect_failure;
  error.response_started = response_started;
  return error;
}

const RetryPolicy kPolicy;  // 2 retries, 500 ms base, 8 s backoff cap, 30 s Retry-After cap
const AttemptInfo kFresh;

}  // namespace

TEST_CASE("Connect failures and resets before the first byte are retried", "[retry]") {
  CHECK(decide_retry(kPolicy, 0, transport_error(ErrorKind::Network, true), kFresh, 0.5).retry);
  CHECK(decide_retry(kPolicy, 0, transport_error(ErrorKind::Network, false), kFresh, 0.5).retry);
  CHECK(decide_retry(kPolicy, 0, transport_error(ErrorKind::Timeout, true), kFresh, 0.5).retry);
}

TEST_CASE("Read timeouts and failures after the response started are not retried", "[retry]") {
  CHECK_FALSE(decide_retry(kPolicy, 0, transport_error(ErrorKind::Timeout, false), kFresh, 0.5).retry);
  CHECK_FALSE(decide_retry(kPolicy, 0, transport_error(ErrorKind::Network, false, true), kFresh, 0.5).retry);
  AttemptInfo streaming;
  streaming.stream_started = true;
  const auto decision = decide_retry(kPolicy, 0, http_error(ErrorKind::Upstream, 503), streaming, 0.5);
  CHECK_FALSE(decision.retry);
  CHECK(decision.reason.find("already received") != std::string::npos);
}

TEST_CASE("429 and 502/503/504 are retried; other statuses are not", "[retry]") {
  CHECK(decide_retry(kPolicy, 0, http_error(ErrorKind::RateLimited, 429), kFresh, 0.5).retry);
  for (int status : {502, 503, 504}) CHECK(decide_retry(kPolicy, 0, http_error(ErrorKind::Upstream, status), kFresh, 0.5).retry);
  CHECK_FALSE(decide_retry(kPolicy, 0, http_error(ErrorKind::Upstream, 500), kFresh, 0.5).retry);
  for (ErrorKind kind : {ErrorKind::Auth, ErrorKind::BadRequest, ErrorKind::ModelUnsupportedOnPlan, ErrorKind::Tls,
                         ErrorKind::Cancelled}) {
    CHECK_FALSE(decide_retry(kPolicy, 0, http_error(kind, 400), kFresh, 0.5).retry);
  }
  ApiError quota = http_error(ErrorKind::RateLimited, 429);
  quota.permanent = true;
  CHECK_FALSE(decide_retry(kPolicy, 0, quota, kFresh, 0.5).retry);
}

TEST_CASE("Retries are bounded", "[retry]") {
  const auto error = http_error(ErrorKind::Upstream, 503);
  CHECK(decide_retry(kPolicy, 0, error, kFresh, 0.5).retry);
  CHECK(decide_retry(kPolicy, 1, error, kFresh, 0.5).retry);
  const auto third = decide_retry(kPolicy, 2, error, kFresh, 0.5);
  CHECK_FALSE(third.retry);
  CHECK(third.reason.find("2 retries") != std::string::npos);
}

TEST_CASE("Backoff grows exponentially with equal jitter and a cap", "[retry]") {
  CHECK(backoff_delay(kPolicy, 0, 0.0) == milliseconds(250));
  CHECK(backoff_delay(kPolicy, 0, 0.999) >= milliseconds(499));
  CHECK(backoff_delay(kPolicy, 1, 0.0) == milliseconds(500));
  CHECK(backoff_delay(kPolicy, 1, 1.0) == milliseconds(1000));
  CHECK(backoff_delay(kPolicy, 2, 0.5) == milliseconds(1500));
  CHECK(backoff_delay(kPolicy, 10, 1.0) == milliseconds(8000));
  CHECK(backoff_delay(kPolicy, 60, 0.0) == milliseconds(4000));
  CHECK(decide_retry(kPolicy, 1, http_error(ErrorKind::Upstream, 502), kFresh, 0.0).delay == milliseconds(500));
}

TEST_CASE("Retry-After is honoured up to the cap", "[retry]") {
  const auto short_wait = decide_retry(kPolicy, 0, http_error(ErrorKind::RateLimited, 429, seconds(3)), kFresh, 0.9);
  CHECK(short_wait.retry);
  CHECK(short_wait.delay == milliseconds(3000));
  const auto at_cap = decide_retry(kPolicy, 0, http_error(ErrorKind::RateLimited, 429, seconds(30)), kFresh, 0.9);
  CHECK(at_cap.retry);
  const auto too_long = decide_retry(kPolicy, 0, http_error(ErrorKind::RateLimited, 429, seconds(31)), kFresh, 0.9);
  CHECK_FALSE(too_long.retry);
  CHECK(too_long.reason.find("exceeds") != std::string::npos);
  // Retry-After: 0 falls back to the normal backoff.
  CHECK(decide_retry(kPolicy, 0, http_error(ErrorKind::RateLimited, 429, seconds(0)), kFresh, 0.0).delay ==
        milliseconds(250));
  // 503 with Retry-After too.
  CHECK(decide_retry(kPolicy, 0, http_error(ErrorKind::Upstream, 503, seconds(2)), kFresh, 0.0).delay ==
        milliseconds(2000));
}

TEST_CASE("Non-idempotent requests are retried only when they never reached the server", "[retry]") {
  AttemptInfo submit;
  submit.idempotent = false;
  CHECK(decide_retry(kPolicy, 0, transport_error(ErrorKind::Network, true), submit, 0.5).retry);
  CHECK_FALSE(decide_retry(kPolicy, 0, transport_error(ErrorKind::Network, false), submit, 0.5).retry);
  CHECK_FALSE(decide_retry(kPolicy, 0, http_error(ErrorKind::Upstream, 503), submit, 0.5).retry);
}

TEST_CASE("random_jitter stays in [0, 1)", "[retry]") {
  for (int i = 0; i < 100; ++i) {
    const double value = random_jitter();
    CHECK(value >= 0.0);
    CHECK(value < 1.0);
  }
}

TEST_CASE("Backoff sleeps end early when cancelled", "[retry]") {
  CHECK(sleep_unless_cancelled(milliseconds(20), {}));
  CHECK(sleep_unless_cancelled(milliseconds(0), [] { return false; }));
  CHECK_FALSE(sleep_unless_cancelled(milliseconds(5000), [] { return true; }));

  std::atomic<bool> cancel{false};
  std::thread trigger([&] {
    std::this_thread::sleep_for(milliseconds(30));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(sleep_unless_cancelled(milliseconds(5000), [&] { return cancel.load(); }));
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(500));
  trigger.join();
}
