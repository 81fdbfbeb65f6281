// When to retry a failed request, and how long to wait first.
//
// Only failures that happened before any of the answer reached the user are
// retried (a connect failure, a reset before the first byte, 429, 502/503/
// 504), a bounded number of times, with exponential backoff and jitter. A
// server's Retry-After is honoured up to a cap; beyond it the error is
// reported (rate-limited, with the retry-after) instead of waiting.
//
// The decision is a pure function of its inputs, jitter included, so it is
// tested without sleeping; the sleep itself is cancellable.
#pragma once

#include <chrono>
#include <string>

#include "net/error_mapping.hpp"
#include "net/http_client.hpp"

namespace openclaw::qwen::net {

struct RetryPolicy {
  int max_retries = 2;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_backoff{8'000};
  // A longer Retry-After is not waited out: the caller reports it.
  std::chrono::seconds max_retry_after{30};
};

struct AttemptInfo {
  // The caller's judgement that sending the request again is safe (a chat
  // request that produced no output is; a video submit that may have
  // created a paid job is not, unless the failure was during connect).
  bool idempotent = true;
  // Part of the answer already went to the consumer: never retry then.
  bool stream_started = false;
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  std::string reason;  // why (or why not), for logs
};

// `retries_done` counts retries already made (0 after the first attempt).
// `jitter` is uniform in [0, 1); see random_jitter().
RetryDecision decide_retry(const RetryPolicy& policy, int retries_done, const ApiError& error,
                           const AttemptInfo& attempt, double jitter);

// base_delay * 2^retries_done, capped at max_backoff, then "equal jitter":
// half fixed, half random, so clients that failed together spread out.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retries_done, double jitter);

// A uniform value in [0, 1) for decide_retry.
double random_jitter();

// Waits for `delay`, waking every few milliseconds to poll `cancel`.
// Returns false as soon as `cancel` returns true, true after the full delay.
bool sleep_unless_cancelled(std::chrono::milliseconds delay, const CancelCheck& cancel);

}  // namespace openclaw::qwen::net
