/*
 * openclaw/provider_abi.h — the OpenClaw provider-plugin C ABI.
 *
 * A provider plugin is a shared library that a host (a gateway, a CLI, a test
 * harness; written in C, C++, Rust, Go, Node, ...) loads from a plugin
 * directory. The plugin exports exactly ONE symbol, OC_PLUGIN_ENTRY_SYMBOL, a
 * const struct the host can read before running any plugin code. Everything
 * else is reached through tables: the host hands the plugin a host table at
 * init, the plugin calls host->register_provider() once per provider, and each
 * provider hands out capability tables (chat, media understanding, video
 * generation, device login) by versioned string id.
 *
 * Pure C99, no dependencies beyond <stddef.h> and <stdint.h>.
 *
 * ---------------------------------------------------------------------------
 * COMPATIBILITY POLICY (numbered so reviews can cite them)
 *
 *  P1  Semantic versioning of the ABI: OC_ABI_VERSION_{MAJOR,MINOR,PATCH}.
 *      A host refuses a plugin whose major differs from its own, with a
 *      message naming both versions. Minor versions only ADD; patch is
 *      informational (documentation, clarified wording).
 *  P2  Every extensible struct starts with `uint32_t struct_size`, set by its
 *      producer to sizeof() of the struct it was compiled with. A reader only
 *      touches a field when OC_HAS_FIELD(ptr, type, field) is true, and only
 *      calls a function slot that is also non-NULL. So an old plugin works in
 *      a new host and a new plugin in an old host.
 *  P3  Structs are append-only: fields are never reordered, resized or
 *      removed. A retired function slot stays, documented as "always NULL".
 *  P4  A breaking change to a capability is a NEW capability id
 *      (".../2") with a new table type; the old id keeps working as long as
 *      the plugin chooses to serve it. Ids never change otherwise.
 *  P5  Rich, evolving data (catalog rows, auth choices, requests, results)
 *      crosses as UTF-8 JSON documents, whose readers ignore unknown keys.
 *      Hot-path streaming events cross as small typed structs.
 *  P6  No C++ types, exceptions, longjmp or allocator mixing ever cross this
 *      boundary. A plugin never aborts or throws into the host.
 *  P7  Negotiation happens in init(): the host passes its version in the
 *      host table; the plugin answers the version both sides will speak
 *      (same major, min of the minors) in *negotiated.
 *
 * OWNERSHIP (applies to every pointer in this header unless a field says
 * otherwise)
 *
 *  O1  oc_str and `const char *` arguments are BORROWED: valid only for the
 *      duration of the call (or of the callback invocation) they are passed
 *      to. A receiver that needs them later copies them.
 *  O2  Nothing allocated by one side is ever freed by the other. Results that
 *      a plugin produces (JSON documents, downloaded bytes) are pushed into a
 *      host-provided oc_sink, which copies what it keeps. There is therefore
 *      no release function to forget.
 *  O3  Tables the plugin hands out (oc_provider, capability tables, static
 *      strings in them) are plugin-owned, immutable, and valid from the
 *      moment they are handed out until deinit() returns.
 *  O4  The host table and everything it points to is host-owned and must stay
 *      valid from init() until deinit() returns.
 *  O5  Secrets (oc_call_context.api_key, tokens inside JSON) are borrowed for
 *      one call. A plugin never logs them, never echoes them in an oc_error
 *      and never keeps them after the call returns.
 *
 * THREADS (each function carries one of these tags)
 *
 *  [main-thread]  called by the host from the thread that called init().
 *  [thread-safe]  may be called from any thread, concurrently.
 *  [blocking]     may perform network I/O and take as long as the work takes;
 *                 it ends early when its cancel token trips or its event
 *                 callback returns non-zero.
 *  [in-call]      a callback invoked on the thread that made the call it
 *                 belongs to, before that call returns; never afterwards.
 *
 * STRINGS: all text is UTF-8. oc_str is (pointer, length) and NOT
 * necessarily NUL-terminated; `const char *` fields are NUL-terminated.
 * ---------------------------------------------------------------------------
 */
#ifndef OPENCLAW_PROVIDER_ABI_H
#define OPENCLAW_PROVIDER_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===== Versions ========================================================== */

#define OC_ABI_VERSION_MAJOR 1
#define OC_ABI_VERSION_MINOR 0
#define OC_ABI_VERSION_PATCH 1 /* 1.0.1: documents the optional JSON keys below */

/* The one symbol a plugin exports: `const oc_plugin_entry <this name>`. */
#define OC_PLUGIN_ENTRY_SYMBOL "openclaw_provider_plugin_entry"

/* Calling convention of every function pointer (kept for Windows hosts). */
#if defined(_WIN32) && !defined(__MINGW32__)
#define OC_ABI __cdecl
#else
#define OC_ABI
#endif

/* Export macro for the entry symbol. */
#if defined(_WIN32)
#define OC_EXPORT __declspec(dllexport)
#else
#define OC_EXPORT __attribute__((visibility("default")))
#endif

/* True when the struct at `ptr` (of declared type `type`) is large enough to
 * contain `field`, according to its own struct_size (policy P2). */
#define OC_HAS_FIELD(ptr, type, field)                                                  \
  ((ptr) != NULL && (size_t)(ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

typedef struct oc_version {
  uint32_t major; /* breaking changes; must match between host and plugin */
  uint32_t minor; /* additions only */
  uint32_t patch; /* informational */
} oc_version;

/* ===== Status codes ====================================================== */

/* Every call returns an oc_status. 0 is success; positive values are
 * non-error outcomes; negative values are errors. The set is stable: new
 * codes may be added in a minor version, so a host treats an unknown
 * negative code as a generic error. */
typedef int32_t oc_status;
enum {
  OC_OK = 0,
  OC_INCOMPLETE = 1, /* success, but the answer was cut short (e.g. a bounded wait ended
                        while a video job is still running; poll again later) */

  /* Caller and plugin errors */
  OC_ERR_INVALID_ARGUMENT = -1, /* a request field is missing or wrong; message names it */
  OC_ERR_NOT_IMPLEMENTED = -2,  /* this plugin build does not do this yet */
  OC_ERR_UNAVAILABLE = -3,      /* capability exists but not for this endpoint/plan; hint says why */
  OC_ERR_INCOMPATIBLE = -4,     /* ABI version mismatch */
  OC_ERR_NOT_FOUND = -5,        /* unknown model, provider, task id */
  OC_ERR_INTERNAL = -6,         /* a bug in the plugin; message says what failed */

  /* Upstream errors (the stable set every provider maps to) */
  OC_ERR_AUTH = -10,                       /* 401/403: key missing, invalid or expired */
  OC_ERR_RATE_LIMITED = -11,               /* 429; oc_error.retry_after_ms when known */
  OC_ERR_MODEL_UNSUPPORTED_ON_PLAN = -12,  /* the plan/endpoint does not serve this model */
  OC_ERR_BAD_REQUEST = -13,                /* 400-class rejection of the request body */
  OC_ERR_UPSTREAM = -14,                   /* 5xx or a malformed upstream reply */
  OC_ERR_TIMEOUT = -15,                    /* connect/read deadline passed */
  OC_ERR_CANCELLED = -16,                  /* the host cancelled (token or callback) */
  OC_ERR_NETWORK = -17,                    /* DNS, refused, reset, truncated stream */
  OC_ERR_TLS = -18                         /* handshake or certificate verification failed */
};

/* ===== Basic types ======================================================= */

/* A borrowed UTF-8 view (policy O1). `ptr` may be NULL only when len == 0. */
typedef struct oc_str {
  const char *ptr;
  size_t len;
} oc_str;

/* Error details, in CALLER-owned storage. The caller sets struct_size and
 * zero-fills the rest; the callee fills what it knows when it returns a
 * negative status. Strings are NUL-terminated and truncated to fit.
 * OWNERSHIP: caller. Never contains a secret (policy O5). */
#define OC_ERROR_MESSAGE_SIZE 1024
#define OC_ERROR_HINT_SIZE 512
#define OC_ERROR_REQUEST_ID_SIZE 128
typedef struct oc_error {
  uint32_t struct_size;
  oc_status code;        /* same value the call returned */
  int32_t http_status;   /* upstream HTTP status, 0 when none */
  int32_t retry_after_ms; /* from Retry-After when rate limited, -1 when unknown */
  char message[OC_ERROR_MESSAGE_SIZE];       /* what went wrong, upstream message kept.
                                                eg: "Unknown model: qwen/qwen3.6-plus. ..." */
  char hint[OC_ERROR_HINT_SIZE];             /* what the user can do about it, or "" */
  char request_id[OC_ERROR_REQUEST_ID_SIZE]; /* upstream request id, or "" */
} oc_error;

/* A byte sink the host provides for plugin results (policy O2). The plugin
 * calls write() zero or more times; each (ptr, len) is borrowed for that call
 * and the host copies what it keeps. Returning non-zero asks the plugin to
 * stop: the plugin then returns OC_ERR_CANCELLED (e.g. disk full while saving
 * a download). [in-call]
 * OWNERSHIP: host. */
typedef struct oc_sink {
  void *user_data;
  int32_t(OC_ABI *write)(void *user_data, const char *ptr, size_t len);
} oc_sink;

/* A cancellation token the host can trip from any thread. The plugin polls
 * is_cancelled() (it is [thread-safe] and must be cheap: an atomic load) and
 * ends the call with OC_ERR_CANCELLED promptly (target: within 100 ms, even
 * while blocked on the network).
 * OWNERSHIP: host; valid for the duration of the call it is passed to. */
typedef struct oc_cancel_token {
  uint32_t struct_size;
  void *user_data;
  int32_t(OC_ABI *is_cancelled)(void *user_data); /* non-zero = cancelled */
} oc_cancel_token;

/* ===== Streaming events ================================================== */

/* Every event starts with this header; the payload struct follows it. A
 * receiver switches on `type`, skips unknown types (using `size`), and never
 * keeps pointers from an event beyond the callback (policy O1). */
typedef struct oc_event_header {
  uint32_t size;  /* sizeof the whole event struct, header included */
  uint16_t type;  /* one of OC_EVENT_* */
  uint16_t flags; /* reserved, 0 */
} oc_event_header;

enum {
  OC_EVENT_TEXT_DELTA = 1,      /* oc_event_text: assistant text */
  OC_EVENT_REASONING_DELTA = 2, /* oc_event_text: reasoning ("thinking") text */
  OC_EVENT_TOOL_CALL_DELTA = 3, /* oc_event_tool_call_delta */
  OC_EVENT_USAGE = 4,           /* oc_event_usage: token counts, once, near the end */
  OC_EVENT_DONE = 5,            /* oc_event_done: the last event of a successful call */
  OC_EVENT_RETRY = 6,           /* oc_event_retry: a pre-stream failure will be retried */
  OC_EVENT_JOB_SUBMITTED = 7,   /* oc_event_job: an async job exists upstream; persist it now */
  OC_EVENT_PROGRESS = 8         /* oc_event_progress: long-running work is still going */
};

typedef struct oc_event_text {
  oc_event_header header;
  uint32_t choice_index;
  oc_str text; /* a fragment; concatenate fragments in arrival order */
} oc_event_text;

typedef struct oc_event_tool_call_delta {
  oc_event_header header;
  uint32_t index;         /* which tool call this fragment belongs to */
  oc_str id;              /* non-empty on the first fragment of a call */
  oc_str name;            /* non-empty on the first fragment of a call */
  oc_str arguments_delta; /* JSON text fragment; concatenate per index */
} oc_event_tool_call_delta;

typedef struct oc_event_usage {
  oc_event_header header;
  uint64_t prompt_tokens;
  uint64_t completion_tokens;
  uint64_t total_tokens;
  uint64_t cached_tokens;    /* prompt tokens billed at the cache rate, 0 when unknown */
  uint64_t reasoning_tokens; /* 0 when unknown */
} oc_event_usage;

typedef struct oc_event_done {
  oc_event_header header;
  oc_str finish_reason; /* eg: "stop", "tool_calls", "length" */
  oc_str response_id;   /* upstream completion id, or empty */
  oc_str request_id;    /* upstream request id, or empty */
} oc_event_done;

typedef struct oc_event_retry {
  oc_event_header header;
  uint32_t attempt;  /* 1 for the first retry */
  uint32_t delay_ms; /* how long the plugin waits before it */
  oc_status reason;  /* the error being retried, eg OC_ERR_RATE_LIMITED */
} oc_event_retry;

typedef struct oc_event_job {
  oc_event_header header;
  oc_str task_id;  /* upstream id of the job */
  oc_str job_json; /* the job handle document (see video capability) */
} oc_event_job;

typedef struct oc_event_progress {
  oc_event_header header;
  oc_str task_id;
  oc_str phase;        /* eg: "PENDING", "RUNNING", "downloading" */
  uint64_t elapsed_ms; /* since the job was submitted or the wait started */
  uint64_t done;       /* units done (bytes when downloading), 0 when unknown */
  uint64_t total;      /* units in all, 0 when unknown */
} oc_event_progress;

/* Event callback. [in-call] Return 0 to continue, non-zero to stop: the
 * plugin then ends the call promptly with OC_ERR_CANCELLED and sends no
 * further events. Nothing is delivered after the call returns. */
typedef int32_t(OC_ABI *oc_event_fn)(void *user_data, const oc_event_header *event);

/* ===== Per-call context ================================================== */

/* Everything the host resolved for one call: which endpoint, which key.
 * The plugin never reads the host's files; this is how it learns them.
 * OWNERSHIP: host; borrowed for the call (policy O1, O5). */
typedef struct oc_call_context {
  uint32_t struct_size;
  oc_str provider_id;          /* the provider id the user referenced, eg "modelstudio" */
  oc_str base_url;             /* resolved chat base URL; empty = provider default */
  oc_str api_key;              /* SECRET; empty when none is configured */
  oc_str provider_config_json; /* the user's models.providers.<id> entry as JSON with any
                                  apiKey removed, or empty. eg: {"baseUrl":..., "models":[...]} */
  oc_str ca_bundle_path;       /* PEM bundle to trust; empty = SSL_CERT_FILE or system store */
  uint32_t connect_timeout_ms; /* 0 = plugin default (10 s) */
  uint32_t read_timeout_ms;    /* idle time allowed between bytes; 0 = plugin default (60 s) */
  const oc_cancel_token *cancel; /* may be NULL */
} oc_call_context;

/* ===== Providers ========================================================= */

typedef struct oc_provider oc_provider;

/* Capability ids (policy P4). get_capability() returns a pointer to the
 * matching table type, or NULL when the provider does not offer it. */
#define OC_CAPABILITY_CHAT "openclaw.chat/1"                          /* oc_chat_v1 */
#define OC_CAPABILITY_MEDIA_UNDERSTANDING "openclaw.media-understanding/1" /* oc_media_understanding_v1 */
#define OC_CAPABILITY_VIDEO_GENERATION "openclaw.video-generation/1"  /* oc_video_generation_v1 */
#define OC_CAPABILITY_DEVICE_LOGIN "openclaw.device-login/1"          /* oc_device_login_v1 */

/* A provider, registered by the plugin through host->register_provider().
 * OWNERSHIP: plugin; immutable and valid until deinit() (policy O3). */
struct oc_provider {
  uint32_t struct_size;
  const char *id;           /* eg: "qwen". Unique in the host registry. */
  const char *alias_of;     /* NULL, or the id of the provider this one is a compatibility
                               alias of. eg: "modelstudio" has alias_of = "qwen": refs
                               "modelstudio/<m>" resolve to "qwen/<m>". An alias steps aside
                               (the host does not resolve through it) when the user's config
                               defines a provider entry with exactly this id whose "api"
                               differs from the descriptor's "api": that custom provider
                               owns the refs. */
  const char *display_name; /* eg: "Qwen Cloud (DashScope / Model Studio)" */

  /* Static JSON description, valid until deinit. Keys (readers ignore others):
   *   "id", "name", "api" (eg "openai-completions"), "defaultModel" (a ref),
   *   "defaultBaseUrl", "envVars": [names in order of preference],
   *   "credentialProfile" (eg "qwen:default"), "docs" (URL),
   *   "authChoices": [{"id","label","hint","plan","region","baseUrl",
   *                    "legacy": bool (true = accepted, not offered to new users),
   *                    "canonical": id of the non-legacy twin, "credentialKind"}],
   *   "capabilities": [capability ids this provider serves]. */
  const char *descriptor_json;

  /* Model listing. [thread-safe]
   * request_json: {"providerConfig": <models.providers.<id> entry or null>,
   *                "baseUrl": <resolved base URL or null>,
   *                "includeHidden": bool}
   * Writes a JSON array of rows to `out`:
   *   {"ref","id","name","input":["text","image"],"contextWindow","maxTokens",
   *    "reasoning","default","configured","available","hiddenReason"?,
   *    "cost":{"input","output","cacheRead","cacheWrite"}}
   * Rows the endpoint hides appear only with includeHidden, with
   * "available": false and a "hiddenReason". */
  oc_status(OC_ABI *list_models)(const oc_provider *self, oc_str request_json, const oc_sink *out,
                                 oc_error *err);

  /* Resolve one model for a call. [thread-safe]
   * request_json: {"providerConfig", "baseUrl", "model": "<id or ref>"}
   * Writes the catalog row (as list_models) to `out`, or fails with
   * OC_ERR_NOT_FOUND and a message saying why the model is unknown here and
   * what to choose instead. */
  oc_status(OC_ABI *resolve_model)(const oc_provider *self, oc_str request_json, const oc_sink *out,
                                   oc_error *err);

  /* Onboarding: what to write into the user's config for an auth choice.
   * [thread-safe] Pure: no I/O.
   * request_json: {"authChoice": "<id>", "config": <the user's whole current config>}
   * Writes a JSON patch document to `out`:
   *   {"config": <object to deep-merge into the user's config>,
   *    "credentialProfile": "qwen:default", "credentialProvider": "qwen",
   *    "credentialKind": "api_key", "envVars": [...], "notes": [strings]}
   * The host merges objects recursively, merges arrays of objects by "id"
   * keeping entries the user already has, and stores the secret itself only
   * in its credential store under credentialProfile. */
  oc_status(OC_ABI *onboard)(const oc_provider *self, oc_str request_json, const oc_sink *out,
                             oc_error *err);

  /* Capability lookup by id (OC_CAPABILITY_*). [thread-safe]
   * Returns a plugin-owned table valid until deinit, or NULL. */
  const void *(OC_ABI *get_capability)(const oc_provider *self, const char *capability_id);

  void *provider_data; /* plugin-private; the host never touches it */
};

/* --- Chat ---------------------------------------------------------------- */

/* OWNERSHIP: plugin (policy O3). */
typedef struct oc_chat_v1 {
  uint32_t struct_size;

  /* One chat completion. [thread-safe] [blocking]
   * request_json (OpenAI chat-completions shape plus host hints):
   *   {"model": "<id or ref>", "messages": [...], "stream": bool,
   *    "tools": [...], "tool_choice": ..., "response_format": {...},
   *    "max_tokens": n, "temperature": x, "top_p": x, "stop": [...],
   *    "thinking": "off"|"none"|"minimal"|"low"|"medium"|"high"|null}
   * Events: TEXT_DELTA / REASONING_DELTA / TOOL_CALL_DELTA as they arrive
   * (a non-streaming call delivers the same kinds once each), RETRY before a
   * retried pre-stream failure, USAGE when known, then DONE last. On failure
   * no DONE is sent and the status/oc_error say what happened. */
  oc_status(OC_ABI *complete)(const oc_provider *self, const oc_call_context *ctx,
                              oc_str request_json, oc_event_fn on_event, void *user_data,
                              oc_error *err);
} oc_chat_v1;

/* --- Media understanding ------------------------------------------------- */

/* OWNERSHIP: plugin (policy O3). */
typedef struct oc_media_understanding_v1 {
  uint32_t struct_size;

  /* Whether the capability works for this context, without network I/O.
   * [thread-safe] Writes {"available": bool, "model": "...", "inputs":
   * ["image","video"], "reason": "...", "fix": "..."} to `out`. */
  oc_status(OC_ABI *availability)(const oc_provider *self, const oc_call_context *ctx,
                                  const oc_sink *out, oc_error *err);

  /* Describe images/video. [thread-safe] [blocking]
   * request_json: {"prompt": "...", "images": [{"url"} | {"data": base64, "mimeType"}],
   *                "videos": [...same...], "stream": bool}
   * Events as for chat. OC_ERR_UNAVAILABLE (no network call) when the
   * endpoint cannot serve it. */
  oc_status(OC_ABI *describe)(const oc_provider *self, const oc_call_context *ctx,
                              oc_str request_json, oc_event_fn on_event, void *user_data,
                              oc_error *err);
} oc_media_understanding_v1;

/* --- Video generation (async jobs) --------------------------------------- */

/* A video job's handle is a JSON document, not a pointer, so that it can be
 * persisted and resumed by another process after a crash (a paid job is never
 * lost): {"taskId", "model", "aigcOrigin", "submittedAt" (unix ms)}.
 * A host may add "pollIntervalMs" (how often wait() polls; the plugin clamps
 * it, default from describe()) before passing the handle back.
 * OWNERSHIP: plugin (policy O3). */
typedef struct oc_video_generation_v1 {
  uint32_t struct_size;

  /* Models, limits and options, for a host UI. [thread-safe] Writes
   * {"defaultModel", "models": [...], "limits": {"maxVideos", "maxInputImages",
   *  "maxInputVideos", "maxDurationSeconds"}, "options": [...],
   *  "pollIntervalMs", "defaultMaxWaitMs"}. */
  oc_status(OC_ABI *describe)(const oc_provider *self, const oc_sink *out, oc_error *err);

  /* Validate and submit. [thread-safe] [blocking]
   * request_json: {"model", "prompt", "images": [url], "videos": [url],
   *   "durationSeconds", "size", "aspectRatio", "resolution", "audio",
   *   "watermark", "count"}
   * Every limit is checked before any network call (OC_ERR_INVALID_ARGUMENT
   * naming the limit). On success emits OC_EVENT_JOB_SUBMITTED (persist it!)
   * and writes the job handle document to `job_out`. */
  oc_status(OC_ABI *submit)(const oc_provider *self, const oc_call_context *ctx,
                            oc_str request_json, oc_event_fn on_event, void *user_data,
                            const oc_sink *job_out, oc_error *err);

  /* One status check. [thread-safe] [blocking]
   * Writes {"taskId", "status": "PENDING"|"RUNNING"|"SUCCEEDED"|"FAILED"|
   * "CANCELED"|"UNKNOWN", "videoUrls": [...], "message"?, "code"?}. */
  oc_status(OC_ABI *poll)(const oc_provider *self, const oc_call_context *ctx, oc_str job_json,
                          const oc_sink *status_out, oc_error *err);

  /* Poll until a terminal status, cancellation, or max_wait_ms (0 = the
   * default). [thread-safe] [blocking] Emits OC_EVENT_PROGRESS while
   * waiting. Writes the final status document (as poll) to `result_out`.
   * Returns OC_OK on SUCCEEDED, OC_INCOMPLETE when the wait ended first (the
   * job keeps running upstream; wait again later), OC_ERR_CANCELLED when
   * cancelled (likewise resumable), or an error for FAILED/CANCELED/UNKNOWN. */
  oc_status(OC_ABI *wait)(const oc_provider *self, const oc_call_context *ctx, oc_str job_json,
                          uint32_t max_wait_ms, oc_event_fn on_event, void *user_data,
                          const oc_sink *result_out, oc_error *err);

  /* Fetch a result URL, streaming the bytes into `bytes_out` (the host
   * writes them to a temporary file and commits it only on OC_OK).
   * [thread-safe] [blocking] Emits OC_EVENT_PROGRESS with done/total bytes. */
  oc_status(OC_ABI *download)(const oc_provider *self, const oc_call_context *ctx, oc_str url,
                              oc_event_fn on_event, void *user_data, const oc_sink *bytes_out,
                              oc_error *err);
} oc_video_generation_v1;

/* --- Device login (OAuth 2.0 device authorization with PKCE) ------------- */

/* OWNERSHIP: plugin (policy O3). Token documents pass through the host's
 * sink only; the host stores them in its credential store. */
typedef struct oc_device_login_v1 {
  uint32_t struct_size;

  /* Start a login. [thread-safe] [blocking] Writes {"deviceCode",
   * "userCode", "verificationUri", "verificationUriComplete", "expiresIn",
   * "expiresAt" (unix ms), "intervalMs", "codeVerifier"} (the host shows the
   * URI and code). The OAuth server is the provider config's "oauthBaseUrl"
   * when set (a proxy, a test server), else the provider's own. */
  oc_status(OC_ABI *start)(const oc_provider *self, const oc_call_context *ctx,
                           const oc_sink *out, oc_error *err);

  /* Poll once. [thread-safe] [blocking] pending_json is start()'s document,
   * with "intervalMs" replaced by the last poll's answer (slow_down grows it).
   * Writes {"status": "pending"|"slow_down"|"success", "intervalMs",
   * "access", "refresh", "expiresAt" (unix ms), "resourceUrl"}. Expiry and
   * denial are errors (OC_ERR_AUTH) whose hint says to log in again. */
  oc_status(OC_ABI *poll)(const oc_provider *self, const oc_call_context *ctx,
                          oc_str pending_json, const oc_sink *out, oc_error *err);

  /* Refresh. [thread-safe] [blocking] refresh_token is the stored refresh
   * token; writes a token document as poll's "success". The host makes
   * refreshes single-flight. */
  oc_status(OC_ABI *refresh)(const oc_provider *self, const oc_call_context *ctx,
                             oc_str refresh_token, const oc_sink *out, oc_error *err);
} oc_device_login_v1;

/* ===== Host table ======================================================== */

enum {
  OC_LOG_DEBUG = 0,
  OC_LOG_INFO = 1,
  OC_LOG_WARNING = 2,
  OC_LOG_ERROR = 3
};

/* Passed to init(). OWNERSHIP: host; valid until deinit() returns (O4). */
typedef struct oc_host {
  uint32_t struct_size;
  oc_version abi_version;   /* the ABI version the host was built with */
  void *host_data;          /* passed back as the first argument of every slot */
  const char *host_name;    /* eg: "claw-host" */
  const char *host_version; /* eg: "0.1.0" */

  /* Log a line. [thread-safe] Never passed a secret (policy O5). */
  void(OC_ABI *log)(void *host_data, int32_t level, oc_str message);

  /* Register one provider. [main-thread] Only legal during init().
   * The provider table must stay valid until deinit (O3). Fails with
   * OC_ERR_INVALID_ARGUMENT (duplicate id, missing field) and fills err. */
  oc_status(OC_ABI *register_provider)(void *host_data, const oc_provider *provider,
                                       oc_error *err);

  /* Optional host extensions by id, NULL when unsupported. [thread-safe]
   * No extension ids are defined in 1.0. */
  const void *(OC_ABI *get_extension)(void *host_data, const char *extension_id);
} oc_host;

/* ===== Entry ============================================================= */

/* The one exported symbol: `OC_EXPORT const oc_plugin_entry
 * openclaw_provider_plugin_entry = {...};` A host reads abi_version before
 * calling anything, and refuses a different major (policy P1).
 * OWNERSHIP: plugin; static. */
typedef struct oc_plugin_entry {
  uint32_t struct_size;
  oc_version abi_version;     /* the ABI version the plugin was built with */
  const char *plugin_id;      /* eg: "qwen" */
  const char *plugin_version; /* eg: "0.1.0" */

  /* Initialise. [main-thread] Cheap: no network, no secrets. Registers the
   * plugin's providers through host->register_provider(). `plugin_path` is
   * the absolute path of the loaded library. Writes the negotiated version
   * (policy P7) to *negotiated. Reference-counted: a second init() without
   * deinit() succeeds without registering again. On failure, the host must
   * not call deinit(). */
  oc_status(OC_ABI *init)(const oc_host *host, const char *plugin_path, oc_version *negotiated,
                          oc_error *err);

  /* Release everything. [main-thread] After the last deinit(), no table the
   * plugin handed out may be used. Every call into the plugin must have
   * returned before. */
  void(OC_ABI *deinit)(void);

  /* A short English name for a status code ("auth", "rate-limited", ...).
   * [thread-safe] Static string; never NULL. */
  const char *(OC_ABI *status_name)(oc_status status);
} oc_plugin_entry;

#ifdef __cplusplus
}
#endif

#endif /* OPENCLAW_PROVIDER_ABI_H */
