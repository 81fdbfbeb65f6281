// A local DashScope emulator for tests and demos.
//
// One `Emulator` is one HTTP (or HTTPS) server on loopback that speaks the
// wire protocols the Qwen provider talks to:
//
//   POST /compatible-mode/v1/chat/completions   Standard endpoints (OpenAI-compatible chat)
//   POST /v1/chat/completions                   Coding Plan and Qwen Portal shape of the same
//   POST /api/v1/services/aigc/video-generation/video-synthesis   Wan video, async submit
//   GET  /api/v1/tasks/{task_id}                async task status
//   POST /api/v1/tasks/{task_id}/cancel         cancel a PENDING task
//   GET  /results/{name}                        the "OSS" download of a finished video
//   POST /api/v1/oauth2/device/code             Qwen Portal device authorization (PKCE)
//   POST /api/v1/oauth2/token                   device-code and refresh-token grants
//   GET  /authorize                             a tiny page standing in for the browser step
//
// Behaviour is scripted per request through FIFO queues (chat, video, device
// authorization, refresh). An empty queue means a well-behaved default, so a
// test only scripts what it wants to see go wrong.
//
// Thread safety: every member function may be called from any thread while
// the server is running; scripts and recordings are guarded internally.
//
// The emulator ignores SIGPIPE for the whole process (unless a handler is
// already installed): a TLS peer that disappears mid-write would otherwise
// kill the test binary.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dashscope_emulator {

// The OAuth client id Qwen's own CLI uses; the token endpoints require it.
inline constexpr std::string_view kQwenOAuthClientId = "f0304373b74a44d2b584a3fb70ca9e56";

// A bearer key refused from the start (until a test adds it with
// add_valid_key()): handy for "wrong key" tests.
inline constexpr std::string_view kInvalidKey = "sk-invalid";

struct EmulatorOptions {
  bool tls = false;             // serve HTTPS with a throwaway CA (see ca_cert_path())
  std::string bind = "127.0.0.1";
  int port = 0;                 // 0: an ephemeral port
  std::string cert_dir{};       // where the PEM files go; empty: a fresh temp dir, removed on stop
};

// One request as the emulator received it.
struct RecordedRequest {
  std::string method{};
  std::string path{};           // without the query string
  std::string query{};          // raw query string without '?', may be empty
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  std::chrono::steady_clock::time_point received_at{};

  // Case-insensitive header lookup; empty when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
  [[nodiscard]] bool has_header(std::string_view name) const;
};

// ---------------------------------------------------------------------------
// Chat scripting
// ---------------------------------------------------------------------------

// Faults. Error replies use DashScope's compatible-mode body
//   {"error":{"message","type","param":null,"code"},"request_id"}
// and every reply carries an `x-request-id` header equal to that request_id.

// 401, code "invalid_api_key" (what a wrong key gets, without changing keys).
struct Http401 {};
// 429, code "limit_requests"; `Retry-After: <n>` unless n < 0.
struct Http429 { int retry_after_seconds = 1; };
// 5xx (500 "internal_error", 502/503/504 "service_unavailable").
struct Http5xx { int status = 500; };
// 400, code "model_not_supported", message "model '<model>' is not supported.":
// what a Coding Plan endpoint answers for a model the plan does not include.
struct ModelNotSupportedOnPlan {};
// Any other compatible-mode error body.
struct HttpError {
  int status = 400;
  std::string code = "invalid_parameter_error";
  std::string message = "The request is invalid.";
  std::string type = "invalid_request_error";
};

// Stream faults. `after_chunks` counts SSE `data:` events already sent, the
// opening `role` event included (so after_chunks = 2 means: role event plus
// one delta). Non-streaming requests get the nearest equivalent, noted below.

// Abort the TCP connection with a RST after N events (non-streaming: after
// half of the JSON body, with the full Content-Length announced).
struct ResetMidStream { int after_chunks = 2; };
// End the HTTP response cleanly after N events: no finish event, no usage
// event, no `data: [DONE]` (non-streaming: a 200 with a cut-off JSON body).
struct TruncatedNoDone { int after_chunks = 2; };
// After N good events send one event whose JSON is cut in half, then carry on
// normally through `[DONE]` (non-streaming: a 200 whose body is not JSON).
struct MalformedJsonChunk { int after_chunks = 2; };
// Sleep before the first byte of the reply (after_chunks < 0) or after N
// events. Stopping the emulator ends a stall at once (the connection is then
// dropped).
struct Stall {
  static constexpr int kBeforeFirstByte = -1;
  int after_chunks = kBeforeFirstByte;
  std::chrono::milliseconds duration{1000};
};
// Pause this long before every event (non-streaming: before the reply).
struct SlowChunks { std::chrono::milliseconds interval{100}; };

using ChatFault = std::variant<std::monostate, Http401, Http429, Http5xx, ModelNotSupportedOnPlan,
                               HttpError, ResetMidStream, TruncatedNoDone, MalformedJsonChunk,
                               Stall, SlowChunks>;

struct ToolCallScript {
  std::string id = "call_emulator_0";
  std::string name{};
  std::string arguments = "{}";  // JSON text, streamed as argument fragments
  int argument_chunks = 2;       // how many deltas carry `arguments`
};

// Token counts; a negative value means "computed" (about 4 bytes a token).
struct UsageScript {
  int prompt_tokens = -1;
  int completion_tokens = -1;
  int cached_tokens = 0;         // prompt_tokens_details.cached_tokens; < 0 omits the details
  int reasoning_tokens = -1;     // completion_tokens_details.reasoning_tokens, sent only with reasoning
};

// One chat reply (or fault), consumed by the next chat request on either
// chat route. Requests refused for their bearer key do not consume scripts.
//
// Streaming wire shape (each line is `data: <json>\n\n`):
//   1. {"choices":[{"delta":{"content":"","role":"assistant"},...}],"usage":null,...}
//      (with reasoning: {"content":null,"role":"assistant","reasoning_content":""})
//   2. reasoning_content deltas, then content deltas
//   3. tool_calls deltas: the first for each call carries index, id, type and
//      function.name; later ones carry index, "id":"" and function.arguments
//      only (DashScope's own habit: an empty id does not start a new call)
//   4. a finish event: "delta":{"content":""},"finish_reason":"stop"|"tool_calls"|...
//   5. only when the request had stream_options.include_usage = true:
//      {"choices":[],"usage":{prompt_tokens,completion_tokens,total_tokens,...}}
//   6. data: [DONE]
// Non-streaming requests ("stream" false or absent) get one `chat.completion`
// object with the same message, tool calls, finish_reason and usage.
struct ChatScript {
  // nullopt: the default reply text (see push_chat) unless tool_calls are set.
  std::optional<std::string> content{};
  int content_chunks = 3;        // content is split (on UTF-8 boundaries) into this many deltas
  std::string reasoning{};       // reasoning_content, streamed before the content
  int reasoning_chunks = 2;
  std::vector<ToolCallScript> tool_calls{};
  std::string finish_reason{};   // empty: "tool_calls" when tool_calls are set, else "stop"
  UsageScript usage{};
  ChatFault fault{};
};

// ---------------------------------------------------------------------------
// Video (Wan, async tasks) scripting
// ---------------------------------------------------------------------------

// A native DashScope error body: {"code","message","request_id"}.
struct NativeError {
  int status = 400;
  std::string code = "InvalidParameter";
  std::string message = "Required parameter(s) missing or invalid, please check the request parameters.";
  int retry_after_seconds = -1;  // >= 0 adds a Retry-After header
};

enum class VideoOutcome {
  Succeeded,   // output.video_url (or output.results[].video_url) + usage
  Failed,      // output.code / output.message
  Canceled,
  Unknown,     // the task later reads as UNKNOWN, as an expired task id does
};

// Consumed by the next accepted submit. Each GET of the task counts one poll:
// the first `pending_polls` read PENDING, the next `running_polls` RUNNING,
// then the outcome (and it stays there).
struct VideoScript {
  int pending_polls = 1;
  int running_polls = 1;
  // A slow job: the task does not finish before this much time has passed
  // since submit, whatever the poll counts (it reads RUNNING meanwhile).
  std::chrono::milliseconds min_duration{0};
  VideoOutcome outcome = VideoOutcome::Succeeded;
  std::string failure_code = "InternalError.Algo";
  std::string failure_message = "An internal error occurred during video generation.";
  bool results_array = false;    // SUCCEEDED reports output.results[{video_url}] instead of output.video_url
  std::size_t result_size = 0;   // bytes of the video; 0: the emulator default (1 MiB)
  bool result_expired = false;   // the download answers 403 AccessDenied "Request has expired." (OSS XML)
  std::optional<std::size_t> reset_download_after{};  // RST after this many body bytes
  std::optional<NativeError> submit_error{};          // refuse the submit with this instead
};

// ---------------------------------------------------------------------------
// Qwen Portal OAuth scripting
// ---------------------------------------------------------------------------

enum class DeviceAuthOutcome {
  Approved,    // tokens are issued
  Denied,      // 400 {"error":"access_denied"}
  Expired,     // 400 {"error":"expired_token"}
};

// Consumed by the next device-code request; drives the token polls of that
// device code: first `slow_down_replies` slow_down answers, then
// `pending_replies` authorization_pending answers (400), then the outcome.
struct DeviceAuthScript {
  int pending_replies = 1;
  int slow_down_replies = 0;
  int slow_down_status = 429;    // Qwen's CLI expects 429 for slow_down; RFC 8628 says 400
  DeviceAuthOutcome outcome = DeviceAuthOutcome::Approved;
  int interval_seconds = 2;      // device reply "interval"; < 0 omits it
  int device_expires_in = 600;   // device reply "expires_in"
  int token_expires_in = 3600;   // token reply "expires_in"
  bool issue_refresh_token = true;
  // Token reply "resource_url". nullopt: "<bind>:<port>" of this emulator,
  // host:port without scheme like the real "portal.qwen.ai"; "": left out.
  std::optional<std::string> resource_url{};
};

// Consumed by the next refresh_token grant that presents a valid refresh
// token (unknown or rotated-away refresh tokens get 400 invalid_grant without
// consuming a script). Default when empty: success, rotated refresh token.
struct RefreshScript {
  bool succeed = true;              // false: 400 {"error":"invalid_grant"}
  bool rotate_refresh_token = true; // false: the reply has no refresh_token
  int expires_in = 3600;
  std::chrono::milliseconds delay{0};  // answer late, to widen race windows
  std::optional<std::string> resource_url{};  // as in DeviceAuthScript
};

// ---------------------------------------------------------------------------

class Emulator {
 public:
  // Starts the server and returns once it accepts connections.
  // Throws std::runtime_error when it cannot bind or build its TLS material.
  explicit Emulator(EmulatorOptions options = {});
  // Stops promptly, also while a stalled or slow stream is being served.
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  [[nodiscard]] int port() const;
  [[nodiscard]] bool tls() const;
  [[nodiscard]] std::string origin() const;               // "https://127.0.0.1:PORT"
  [[nodiscard]] std::string compatible_base_url() const;  // origin() + "/compatible-mode/v1"
  [[nodiscard]] std::string coding_base_url() const;      // origin() + "/v1"
  // PEM of the CA that signed the server certificate (SAN IP:127.0.0.1,
  // IP:::1, DNS:localhost, and the bind address); empty without TLS.
  [[nodiscard]] std::string ca_cert_path() const;

  // Requests in arrival order; `path` filters on an exact path.
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::vector<RecordedRequest> requests(std::string_view path) const;
  void clear_requests();

  // Bearer keys, checked in this order:
  //   no `Authorization: Bearer <key>` or an empty key  -> 401
  //   a denied key (kInvalidKey is denied from the start) -> 401
  //   an access token this emulator issued through OAuth -> accepted
  //   no valid key added so far                          -> any key accepted
  //   otherwise                                          -> only added keys
  // Chat answers 401 invalid_api_key (compatible mode); the AIGC routes
  // answer 401 InvalidApiKey (native) and also refuse every Coding Plan key
  // (prefix "sk-sp-"), as the real AIGC host does.
  void add_valid_key(std::string key);
  void deny_key(std::string key);  // also revokes an issued OAuth access token

  // Chat. Default reply when the queue is empty (3 content deltas):
  //   "Echo from <model>: <last user text>"
  // and, when the model starts with "qwen-vl" or the request holds image or
  // video parts, "Echo from <model> (images: N, videos: M): <last user text>",
  // where N counts image_url/image parts and M video_url/video parts over all
  // messages.
  void push_chat(ChatScript script);
  // Every request for these models gets the ModelNotSupportedOnPlan error,
  // as if this emulator were a Coding Plan endpoint.
  void set_models_unsupported_on_plan(std::vector<std::string> models);
  [[nodiscard]] std::size_t pending_chat_scripts() const;

  // Video. The default (empty queue) is VideoScript{}.
  void push_video(VideoScript script);
  void set_default_result_size(std::size_t bytes);
  [[nodiscard]] std::size_t pending_video_scripts() const;
  // Number of GET /api/v1/tasks/{id} polls the task has answered so far.
  [[nodiscard]] int task_polls(std::string_view task_id) const;

  // Qwen Portal OAuth.
  void push_device_auth(DeviceAuthScript script);
  void push_refresh(RefreshScript script);
  // Accept this refresh token as if it had been issued (e.g. one a test
  // planted in a credential file).
  void add_refresh_token(std::string refresh_token);
  [[nodiscard]] int refresh_calls() const;  // refresh_token grants received, valid or not
  [[nodiscard]] std::vector<std::string> issued_access_tokens() const;
  [[nodiscard]] std::vector<std::string> issued_refresh_tokens() const;

  // Stops serving; idempotent, the destructor calls it.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The exact bytes GET /results/<name> serves for a result of `size` bytes:
// an MP4 `ftyp` box, then a deterministic pattern seeded by `name`.
[[nodiscard]] std::string result_bytes(std::string_view name, std::size_t size);

// PKCE S256: base64url(SHA-256(verifier)) without padding.
[[nodiscard]] std::string pkce_challenge(std::string_view code_verifier);

}  // namespace dashscope_emulator
