#include "net/retry_policy.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace openclaw::qwen::net {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kSleepSlice{10};

RetryDecision no(std::string reason) { return RetryDecision{false, milliseconds{0}, std::move(reason)}; }

}  // namespace

milliseconds backoff_delay(const RetryPolicy& policy, int retries_done, double jitter) {
  jitter = std::clamp(jitter, 0.0, 1.0);
  milliseconds delay = policy.base_delay;
  for (int i = 0; i < retries_done && delay < policy.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, policy.max_backoff);
  const auto half = delay.count() / 2;
  return milliseconds{half + static_cast<milliseconds::rep>(static_cast<double>(delay.count() - half) * jitter)};
}

RetryDecision decide_retry(const RetryPolicy& policy, int retries_done, const ApiError& error,
                           const AttemptInfo& attempt, double jitter) {
  if (attempt.stream_started || error.response_started) return no("part of the response was already received");
  if (retries_done >= policy.max_retries) {
    return no("gave up after " + std::to_string(retries_done) + " retries");
  }

  bool transient = false;
  std::string why;
  switch (error.kind) {
    case ErrorKind::Network:
      transient = !error.permanent;
      why = error.connect_failure ? "connection failed" : "connection lost before the response";
      break;
    case ErrorKind::Timeout:
      // Only a connect timeout: a read timeout may mean the server is busy
      // working on (and billing) the request.
      transient = error.connect_failure;
      why = "connect timed out";
      break;
    case ErrorKind::RateLimited:
      transient = !error.permanent;
      why = "rate limited";
      break;
    case ErrorKind::Upstream:
      transient = error.http_status == 502 || error.http_status == 503 || error.http_status == 504;
      why = "upstream HTTP " + std::to_string(error.http_status);
      break;
    case ErrorKind::Auth:
    case ErrorKind::ModelUnsupportedOnPlan:
    case ErrorKind::BadRequest:
    case ErrorKind::Cancelled:
    case ErrorKind::Tls:
      break;
  }
  if (!transient) return no(std::string(to_string(error.kind)) + " errors are not retried");

  // Before the connection exists the server cannot have seen the request,
  // so even a non-idempotent request may go again.
  if (!attempt.idempotent && !error.connect_failure) return no("the request is not safe to repeat");

  if (error.retry_after) {
    if (*error.retry_after > policy.max_retry_after) {
      return no("Retry-After of " + std::to_string(error.retry_after->count()) + " s exceeds the " +
                std::to_string(policy.max_retry_after.count()) + " s cap");
    }
    if (error.retry_after->count() > 0) {
      return RetryDecision{true, std::chrono::duration_cast<milliseconds>(*error.retry_after),
                           why + ", waiting the server's Retry-After"};
    }
  }
  return RetryDecision{true, backoff_delay(policy, retries_done, jitter), why + ", backing off"};
}

double random_jitter() {
  // A fresh device per call: retries are rare, and this keeps the plugin
  // free of global generator state.
  std::random_device device;
  return std::uniform_real_distribution<double>(0.0, 1.0)(device);
}

bool sleep_unless_cancelled(milliseconds delay, const CancelCheck& cancel) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (true) {
    if (cancel && cancel()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kSleepSlice, until - now));
  }
}

}  // namespace openclaw::qwen::net
