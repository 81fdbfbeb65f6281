#include "upstream.hpp"

#include "provider_specs.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include "net/retry_policy.hpp"
#include "net/url.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace openclaw::qwen {

net::HttpClient& http_client_for(const CallContext& ctx) {
  // One client per CA bundle: its connection pool is what makes keep-alive
  // work across calls. Clients live until the plugin is unloaded.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<net::HttpClient>> clients;
  std::lock_guard lock(mutex);
  auto& client = clients[ctx.ca_bundle_path];
  if (!client) {
    net::HttpClientOptions options;
    options.ca_bundle_path = ctx.ca_bundle_path;
    client = std::make_unique<net::HttpClient>(std::move(options));
  }
  return *client;
}

net::HttpHeaders auth_headers(const CallContext& ctx) {
  net::HttpHeaders headers;
  headers.set("Authorization", "Bearer " + ctx.api_key);
  headers.set("Content-Type", "application/json");
  return headers;
}

net::HttpRequest make_request(const CallContext& ctx, std::string method, std::string url,
                              std::string body) {
  net::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = auth_headers(ctx);
  request.body = std::move(body);
  net::HttpTimeouts timeouts;
  timeouts.connect = ctx.connect_timeout;
  timeouts.read_idle = ctx.read_timeout;
  request.timeouts = timeouts;
  request.cancel = ctx.cancelled;
  return request;
}

oc_status status_for(net::ErrorKind kind) {
  switch (kind) {
  case net::ErrorKind::Auth: return OC_ERR_AUTH;
  case net::ErrorKind::RateLimited: return OC_ERR_RATE_LIMITED;
  case net::ErrorKind::ModelUnsupportedOnPlan: return OC_ERR_MODEL_UNSUPPORTED_ON_PLAN;
  case net::ErrorKind::BadRequest: return OC_ERR_BAD_REQUEST;
  case net::ErrorKind::Upstream: return OC_ERR_UPSTREAM;
  case net::ErrorKind::Timeout: return OC_ERR_TIMEOUT;
  case net::ErrorKind::Cancelled: return OC_ERR_CANCELLED;
  case net::ErrorKind::Network: return OC_ERR_NETWORK;
  case net::ErrorKind::Tls: return OC_ERR_TLS;
  }
  return OC_ERR_UPSTREAM;
}

PluginError to_plugin_error(const net::ApiError& error) {
  PluginError out;
  out.code = status_for(error.kind);
  out.message = error.message;
  out.hint = error.hint;
  out.request_id = error.request_id;
  out.http_status = error.http_status;
  if (error.retry_after) {
    out.retry_after_ms = static_cast<int>(error.retry_after->count() * 1000);
  }
  return out;
}

Status require_api_key(const CallContext& ctx, std::string_view what) {
  if (!ctx.api_key.empty()) return Ok{};
  const bool portal = ctx.provider_id == "qwen-oauth";
  return make_error(OC_ERR_AUTH, "No " + std::string(portal ? "Qwen Portal token" : "API key") +
                                     " is configured for " + ctx.provider_id + " (" + std::string(what) + ").",
                    portal ? "Run `claw-host login qwen-oauth` or `claw-host onboard --auth-choice qwen-oauth`."
                           : "Run `claw-host onboard --auth-choice qwen-api-key` (or a qwen-standard-* "
                             "choice), or set QWEN_API_KEY.");
}

std::string host_of(std::string_view url) {
  auto parsed = net::Url::parse(url);
  return parsed ? parsed->host() : std::string();
}

// A key refused on an endpoint of the other plan is the most common setup
// mistake (Coding Plan keys start with sk-sp-): say so instead of a bare 401.
PluginError with_key_plan_hint(PluginError error, const CallContext& ctx, std::string_view url) {
  if (error.code != OC_ERR_AUTH) return error;
  const auto endpoint = catalog::classify_endpoint(url);
  if (!endpoint || !endpoint->is_native_dashscope()) return error;
  const bool china = endpoint->region() == catalog::Region::China;
  const bool coding_key = ctx.api_key.rfind("sk-sp-", 0) == 0;
  if (coding_key && !endpoint->is_coding_plan()) {
    error.hint = "This is a Coding Plan key (sk-sp-…), which only works on the Coding Plan endpoint; onboard "
                 "with " + std::string(china ? "qwen-api-key-cn" : "qwen-api-key") +
                 ", or use a pay-as-you-go key here.";
  } else if (!coding_key && endpoint->is_coding_plan()) {
    error.hint = "The Coding Plan endpoint needs a Coding Plan key (sk-sp-…); for a pay-as-you-go key onboard "
                 "with " + std::string(standard_auth_choice_for_region(china)) + ".";
  }
  return error;
}

namespace {

// One attempt's failure, mapped, with what the retry policy needs to know.
net::ApiError failure_of(const net::HttpResult& result, const net::HttpRequest& request,
                         std::string_view model) {
  if (!result) return net::map_transport_error(result.error());
  net::ErrorContext context;
  context.model = model;
  if (const auto endpoint = catalog::classify_endpoint(request.url)) {
    context.coding_plan_endpoint = endpoint->is_coding_plan();
    context.standard_auth_choice =
        standard_auth_choice_for_region(endpoint->region() == catalog::Region::China);
  }
  return net::map_http_error(result->status, result->headers, result->body, context);
}

template <class Attempt>
Result<net::HttpResponse> with_retries(const CallContext& ctx, const net::HttpRequest& request,
                                       const SendOptions& options, Attempt&& attempt,
                                       const std::function<bool()>& answer_started) {
  const net::RetryPolicy policy;
  for (int retries = 0;; ++retries) {
    auto result = attempt();
    if (result && result->is_success()) return std::move(result.value());
    const auto error = failure_of(result, request, options.model);
    if (error.kind == net::ErrorKind::Cancelled || ctx.cancelled()) {
      return make_error(OC_ERR_CANCELLED, "Cancelled.");
    }
    net::AttemptInfo info;
    info.idempotent = options.idempotent;
    info.stream_started = answer_started && answer_started();
    const auto decision = net::decide_retry(policy, retries, error, info, net::random_jitter());
    if (!decision.retry) return with_key_plan_hint(to_plugin_error(error), ctx, request.url);
    if (options.events != nullptr &&
        !options.events->retry(static_cast<std::uint32_t>(retries + 1),
                               static_cast<std::uint32_t>(decision.delay.count()),
                               status_for(error.kind))) {
      return make_error(OC_ERR_CANCELLED, "Cancelled.");
    }
    if (!net::sleep_unless_cancelled(decision.delay, ctx.cancelled)) {
      return make_error(OC_ERR_CANCELLED, "Cancelled.");
    }
  }
}

} // namespace

Result<net::HttpResponse> send_with_retries(const CallContext& ctx, const net::HttpRequest& request,
                                            const SendOptions& options) {
  auto& client = http_client_for(ctx);
  return with_retries(ctx, request, options, [&] { return client.send(request); }, {});
}

Result<net::HttpResponse> stream_with_retries(const CallContext& ctx, const net::HttpRequest& request,
                                              const net::BodyHandler& on_body,
                                              const std::function<bool()>& answer_started,
                                              const SendOptions& options) {
  auto& client = http_client_for(ctx);
  return with_retries(
      ctx, request, options, [&] { return client.send_streaming(request, on_body); }, answer_started);
}

} // namespace openclaw::qwen
