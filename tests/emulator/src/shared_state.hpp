// State shared by every route of one emulator: scripts, keys, recordings,
// tasks, OAuth sessions, and the stop signal. One mutex guards it all: the
// emulator serves a handful of requests per test, so simplicity wins over
// lock granularity.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dashscope_emulator/emulator.hpp"
#include "http_types.hpp"

namespace dashscope_emulator::detail {

// Lets sleeping handlers (stalls, slow chunks, late replies) wake up as soon
// as the emulator stops, so shutdown never waits for a scripted delay.
class StopSignal {
 public:
  // Sleeps for `duration`; false when the emulator is stopping.
  bool sleep_for(std::chrono::milliseconds duration);
  [[nodiscard]] bool stopping() const;
  void request_stop();

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

enum class KeyVerdict { Missing, Refused, Accepted };

struct VideoTask {
  std::string id;
  std::string model;
  std::string prompt;
  VideoScript script;
  std::size_t result_size = 0;
  int duration_seconds = 5;
  int resolution = 720;  // usage "SR"
  std::chrono::steady_clock::time_point submitted;
  std::chrono::system_clock::time_point submitted_wall;
  int polls = 0;
  bool canceled = false;
  bool result_published = false;  // a poll has reported SUCCEEDED with the URL
};

struct DeviceSession {
  DeviceAuthScript script;
  std::string code_challenge;
  std::string user_code;
  int polls = 0;
  bool redeemed = false;
};

struct State {
  mutable std::mutex mutex;
  StopSignal stop;

  // Written once before the server accepts connections.
  std::string origin;     // "https://127.0.0.1:PORT"
  std::string host_port;  // "127.0.0.1:PORT"

  std::vector<RecordedRequest> requests;

  std::set<std::string, std::less<>> valid_keys;
  std::set<std::string, std::less<>> denied_keys{std::string(kInvalidKey)};
  std::set<std::string, std::less<>> oauth_access_tokens;

  std::deque<ChatScript> chat_scripts;
  std::set<std::string, std::less<>> unsupported_models;

  std::deque<VideoScript> video_scripts;
  std::map<std::string, VideoTask, std::less<>> tasks;
  std::size_t default_result_size = std::size_t{1} << 20;

  std::deque<DeviceAuthScript> device_scripts;
  std::deque<RefreshScript> refresh_scripts;
  std::map<std::string, DeviceSession, std::less<>> device_sessions;
  std::set<std::string, std::less<>> refresh_tokens;
  int refresh_calls = 0;
  std::vector<std::string> issued_access_tokens;
  std::vector<std::string> issued_refresh_tokens;

  // Callers hold `mutex`.
  [[nodiscard]] KeyVerdict check_key(std::string_view key) const;

  void record(const HttpRequest& request);

  // Random identifiers; safe without holding `mutex`.
  std::string new_uuid();
  std::string random_token(std::size_t length, std::string_view alphabet);

 private:
  std::mutex random_mutex_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace dashscope_emulator::detail
