// Talking to DashScope / the Portal: one shared HTTP client per CA bundle
// (so keep-alive connections are reused across calls), the conversion of
// network-layer errors into PluginError, and a retrying request loop used by
// every capability.
#pragma once

#include "call_context.hpp"
#include "event_sink.hpp"
#include "plugin_error.hpp"

#include "net/error_mapping.hpp"
#include "net/http_client.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace openclaw::qwen {

// The process-wide client for this context's CA bundle.
net::HttpClient& http_client_for(const CallContext& ctx);

// Authorization and JSON headers for a call. Never logged.
net::HttpHeaders auth_headers(const CallContext& ctx);

// A request with the context's timeouts and cancel check.
net::HttpRequest make_request(const CallContext& ctx, std::string method, std::string url,
                              std::string body = {});

PluginError to_plugin_error(const net::ApiError& error);
oc_status status_for(net::ErrorKind kind);

// Fails before any network I/O when no key is configured.
Status require_api_key(const CallContext& ctx, std::string_view what);

struct SendOptions {
  std::string_view model;          // for error messages
  bool idempotent = true;          // safe to send again after a failure before any answer
  EventSink* events = nullptr;     // receives RETRY events; may be null
};

// Sends a buffered request, retrying idempotent pre-answer failures per the
// retry policy (honouring Retry-After, cancellable). Non-2xx answers become
// PluginErrors.
Result<net::HttpResponse> send_with_retries(const CallContext& ctx, const net::HttpRequest& request,
                                            const SendOptions& options);

// Streams a response body into `on_body` (return false to stop). Retries
// only while nothing has reached `on_body` yet. `answer_started` tells the
// retry logic whether anything was delivered to the consumer.
Result<net::HttpResponse> stream_with_retries(const CallContext& ctx, const net::HttpRequest& request,
                                              const net::BodyHandler& on_body,
                                              const std::function<bool()>& answer_started,
                                              const SendOptions& options);

// For an auth failure on a native DashScope endpoint: a hint naming the fix
// when the key belongs to the other plan (Coding Plan keys start sk-sp-).
PluginError with_key_plan_hint(PluginError error, const CallContext& ctx, std::string_view url);

// The host of a URL, for error context ("" when it does not parse).
std::string host_of(std::string_view url);

} // namespace openclaw::qwen
