// The chat capability: resolve the model on this endpoint, build the
// DashScope body, send it (streaming or not) with bounded retries before the
// first answer byte, and hand typed events to the host.
#include "capabilities.hpp"
#include "chat/chat_request.hpp"
#include "chat/chat_response.hpp"
#include "model_service.hpp"
#include "upstream.hpp"

#include "net/sse_parser.hpp"

#include <boost/json.hpp>

namespace openclaw::qwen {

namespace json = boost::json;

namespace {

std::string request_id_of(const net::HttpHeaders& headers) {
  for (const auto* name : {"x-request-id", "x-dashscope-request-id"}) {
    if (const auto value = headers.get(name)) return std::string(*value);
  }
  return {};
}

Status stream_chat(const CallContext& ctx, const net::HttpRequest& request, std::string_view model,
                   EventSink& events) {
  chat::StreamDecoder decoder(events);
  net::SseParser parser;
  std::optional<PluginError> failure;
  // Each attempt starts a fresh stream; only an attempt that delivered
  // nothing may be retried, so the decoder never sees two streams' bytes.
  const net::BodyHandler on_body = [&](std::string_view bytes) {
    const auto status = parser.feed(bytes, [&](const net::SseEvent& event) {
      if (event.data.empty()) return true;
      auto handled = decoder.on_data(event.data);
      if (!handled) {
        failure = handled.error();
        return false;
      }
      return !events.stopped();
    });
    if (status == net::SseStatus::EventTooLarge) {
      failure = make_error(OC_ERR_UPSTREAM, "The Qwen API sent an oversized stream event (" +
                                                parser.error_message() + ").");
    }
    // After [DONE] the rest of the body is drained, not cut: that keeps the
    // connection reusable and the response headers (request id) in hand.
    return status == net::SseStatus::Ok && !failure && !events.stopped();
  };
  auto streaming = request;
  streaming.headers.set("Accept", "text/event-stream");
  SendOptions options{model, true, &events};
  auto response = stream_with_retries(ctx, streaming, on_body, [&] { return decoder.delivered(); }, options);
  if (failure) return *failure;
  if (events.stopped()) return make_error(OC_ERR_CANCELLED, "The host stopped the stream.");
  // [DONE] ends the answer even if the connection then lingers or drops.
  if (!response && !decoder.saw_done()) return response.error();
  const auto request_id = response ? request_id_of(response->headers) : std::string();
  return decoder.finish(request_id);
}

} // namespace

Status chat_complete(const ProviderSpec& spec, const CallContext& ctx, const json::object& request,
                     EventSink& events) {
  const auto* model_value = request.if_contains("model");
  const std::string_view model_ref =
      model_value != nullptr && model_value->is_string() ? std::string_view(model_value->as_string()) : "";
  auto model = resolve_model_for_call(spec, ctx.provider_config, ctx.base_url, model_ref);
  if (!model) return model.error();
  return chat_complete_for_model(spec, ctx, *model, request, events);
}

Status chat_complete_for_model(const ProviderSpec& spec, const CallContext& ctx,
                               const catalog::ModelRow& model, const json::object& request,
                               EventSink& events) {
  if (auto key = require_api_key(ctx, "chat"); !key) return key.error();
  const auto* messages = request.if_contains("messages");
  if (messages == nullptr || !messages->is_array() || messages->as_array().empty()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "The chat request has no messages.",
                      "Send at least one message, eg {\"role\":\"user\",\"content\":\"hi\"}.");
  }

  const chat::ChatTarget target{model, catalog::classify_endpoint(ctx.base_url),
                                spec.id == qwen_oauth_provider().id};
  const auto body = chat::build_chat_body(request, target);
  auto http = make_request(ctx, "POST", ctx.base_url + "/chat/completions", json::serialize(body));

  if (body.at("stream").as_bool()) return stream_chat(ctx, http, model.id, events);

  auto response = send_with_retries(ctx, http, SendOptions{model.id, true, &events});
  if (!response) return response.error();
  return chat::decode_completion(response->body, request_id_of(response->headers), events);
}

} // namespace openclaw::qwen
