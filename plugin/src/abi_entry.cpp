// The ABI boundary: the only file that converts between the C structs of
// openclaw/provider_abi.h and the plugin's C++ types. Every entry point
// catches everything, so no exception ever crosses into the host.
#include "capabilities.hpp"
#include "model_service.hpp"
#include "onboarding.hpp"
#include "provider_specs.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

namespace json = boost::json;
using namespace openclaw::qwen;

namespace {

constexpr oc_version kPluginAbi{OC_ABI_VERSION_MAJOR, OC_ABI_VERSION_MINOR, OC_ABI_VERSION_PATCH};

// ---- error and result plumbing ---------------------------------------------

void copy_text(char* out, std::size_t capacity, std::string_view text) {
  const auto n = std::min(text.size(), capacity - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

oc_status fail(oc_error* err, const PluginError& error) {
  if (err != nullptr && OC_HAS_FIELD(err, oc_error, code)) err->code = error.code;
  if (OC_HAS_FIELD(err, oc_error, http_status)) err->http_status = error.http_status;
  if (OC_HAS_FIELD(err, oc_error, retry_after_ms)) err->retry_after_ms = error.retry_after_ms;
  if (OC_HAS_FIELD(err, oc_error, message)) copy_text(err->message, sizeof err->message, error.message);
  if (OC_HAS_FIELD(err, oc_error, hint)) copy_text(err->hint, sizeof err->hint, error.hint);
  if (OC_HAS_FIELD(err, oc_error, request_id)) {
    copy_text(err->request_id, sizeof err->request_id, error.request_id);
  }
  return error.code;
}

oc_status fail(oc_error* err, oc_status code, std::string message, std::string hint = {}) {
  return fail(err, make_error(code, std::move(message), std::move(hint)));
}

// The host sink asked us to stop: report it as a cancellation.
oc_status write_to(const oc_sink* out, std::string_view bytes, oc_error* err) {
  if (out == nullptr || out->write == nullptr) {
    return fail(err, OC_ERR_INVALID_ARGUMENT, "No output sink was given.",
                "Pass an oc_sink with a write function.");
  }
  if (out->write(out->user_data, bytes.data(), bytes.size()) != 0) {
    return fail(err, OC_ERR_CANCELLED, "The host stopped accepting output.");
  }
  return OC_OK;
}

oc_status write_json(const oc_sink* out, const json::value& value, oc_error* err) {
  return write_to(out, json::serialize(value), err);
}

std::string_view view(oc_str text) {
  return text.ptr == nullptr ? std::string_view() : std::string_view(text.ptr, text.len);
}

Result<json::object> parse_object(oc_str text, std::string_view what) {
  if (text.len == 0) return json::object{};
  json::error_code ec;
  auto value = json::parse(view(text), ec);
  if (ec || !value.is_object()) {
    return make_error(OC_ERR_INVALID_ARGUMENT,
                      std::string(what) + " is not a JSON object" +
                          (ec ? " (" + ec.message() + ")" : std::string()) + ".",
                      "Pass the JSON document the ABI header describes for this call.");
  }
  return std::move(value.as_object());
}

// Runs `body`, turning any exception into OC_ERR_INTERNAL.
template <class Body> oc_status guarded(oc_error* err, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    return fail(err, OC_ERR_INTERNAL, std::string("Internal error in the Qwen plugin: ") + e.what());
  } catch (...) {
    return fail(err, OC_ERR_INTERNAL, "Internal error in the Qwen plugin.");
  }
}

const ProviderSpec* spec_of(const oc_provider* self) {
  return self == nullptr ? nullptr : static_cast<const ProviderSpec*>(self->provider_data);
}

oc_status no_provider(oc_error* err) {
  return fail(err, OC_ERR_INVALID_ARGUMENT, "The provider handle is not one of this plugin's.");
}

Result<CallContext> to_context(const ProviderSpec& spec, const oc_call_context* in) {
  CallContext ctx;
  ctx.provider_id = std::string(spec.id);
  if (in == nullptr) {
    ctx.base_url = resolve_base_url(spec, {}, nullptr);
    return ctx;
  }
  if (OC_HAS_FIELD(in, oc_call_context, provider_id) && in->provider_id.len > 0) {
    ctx.provider_id = std::string(view(in->provider_id));
  }
  if (OC_HAS_FIELD(in, oc_call_context, provider_config_json)) {
    auto config = parse_object(in->provider_config_json, "provider_config_json");
    if (!config) return config.error();
    ctx.provider_config = std::move(*config);
  }
  const std::string_view base_url =
      OC_HAS_FIELD(in, oc_call_context, base_url) ? view(in->base_url) : std::string_view();
  ctx.base_url = resolve_base_url(spec, base_url, &ctx.provider_config);
  if (OC_HAS_FIELD(in, oc_call_context, api_key)) ctx.api_key = std::string(view(in->api_key));
  if (OC_HAS_FIELD(in, oc_call_context, ca_bundle_path)) {
    ctx.ca_bundle_path = std::string(view(in->ca_bundle_path));
  }
  if (OC_HAS_FIELD(in, oc_call_context, connect_timeout_ms) && in->connect_timeout_ms > 0) {
    ctx.connect_timeout = std::chrono::milliseconds(in->connect_timeout_ms);
  }
  if (OC_HAS_FIELD(in, oc_call_context, read_timeout_ms) && in->read_timeout_ms > 0) {
    ctx.read_timeout = std::chrono::milliseconds(in->read_timeout_ms);
  }
  if (OC_HAS_FIELD(in, oc_call_context, cancel) && in->cancel != nullptr &&
      OC_HAS_FIELD(in->cancel, oc_cancel_token, is_cancelled) && in->cancel->is_cancelled) {
    const oc_cancel_token* token = in->cancel;
    ctx.cancelled = [token] { return token->is_cancelled(token->user_data) != 0; };
  }
  return ctx;
}

// A capability call: resolve provider and context, then run `body(spec, ctx)`.
template <class Body>
oc_status with_context(const oc_provider* self, const oc_call_context* in, oc_error* err,
                       Body&& body) noexcept {
  return guarded(err, [&]() -> oc_status {
    const auto* spec = spec_of(self);
    if (spec == nullptr) return no_provider(err);
    auto ctx = to_context(*spec, in);
    if (!ctx) return fail(err, ctx.error());
    return body(*spec, *ctx);
  });
}

// A cancelled or host-stopped call ends with OC_ERR_CANCELLED whatever the
// capability code reported.
template <class T>
oc_status finish(const Result<T>& result, const EventSink& events, oc_error* err) {
  if (events.stopped()) return fail(err, OC_ERR_CANCELLED, "The host stopped the call.");
  if (!result) return fail(err, result.error());
  return OC_OK;
}

// ---- provider functions ----------------------------------------------------

oc_status OC_ABI list_models_c(const oc_provider* self, oc_str request_json, const oc_sink* out,
                               oc_error* err) {
  return guarded(err, [&]() -> oc_status {
    const auto* spec = spec_of(self);
    if (spec == nullptr) return no_provider(err);
    auto request = parse_object(request_json, "list_models request");
    if (!request) return fail(err, request.error());
    return write_json(out, list_models(*spec, *request), err);
  });
}

oc_status OC_ABI resolve_model_c(const oc_provider* self, oc_str request_json, const oc_sink* out,
                                 oc_error* err) {
  return guarded(err, [&]() -> oc_status {
    const auto* spec = spec_of(self);
    if (spec == nullptr) return no_provider(err);
    auto request = parse_object(request_json, "resolve_model request");
    if (!request) return fail(err, request.error());
    auto row = resolve_model(*spec, *request);
    if (!row) return fail(err, row.error());
    return write_json(out, row->to_json(), err);
  });
}

oc_status OC_ABI onboard_c(const oc_provider* self, oc_str request_json, const oc_sink* out,
                           oc_error* err) {
  return guarded(err, [&]() -> oc_status {
    const auto* spec = spec_of(self);
    if (spec == nullptr) return no_provider(err);
    auto request = parse_object(request_json, "onboard request");
    if (!request) return fail(err, request.error());
    auto patch = onboarding_patch(*spec, *request);
    if (!patch) return fail(err, patch.error());
    return write_json(out, *patch, err);
  });
}

// ---- chat ------------------------------------------------------------------

oc_status OC_ABI chat_complete_c(const oc_provider* self, const oc_call_context* ctx,
                                 oc_str request_json, oc_event_fn on_event, void* user_data,
                                 oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto request = parse_object(request_json, "chat request");
    if (!request) return fail(err, request.error());
    EventSink events(on_event, user_data);
    return finish(chat_complete(spec, call, *request, events), events, err);
  });
}

const oc_chat_v1 kChat{sizeof(oc_chat_v1), chat_complete_c};

// ---- media understanding ---------------------------------------------------

oc_status OC_ABI media_availability_c(const oc_provider* self, const oc_call_context* ctx,
                                      const oc_sink* out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto answer = media_availability(spec, call);
    if (!answer) return fail(err, answer.error());
    return write_json(out, *answer, err);
  });
}

oc_status OC_ABI media_describe_c(const oc_provider* self, const oc_call_context* ctx,
                                  oc_str request_json, oc_event_fn on_event, void* user_data,
                                  oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto request = parse_object(request_json, "media request");
    if (!request) return fail(err, request.error());
    EventSink events(on_event, user_data);
    return finish(media_describe(spec, call, *request, events), events, err);
  });
}

const oc_media_understanding_v1 kMedia{sizeof(oc_media_understanding_v1), media_availability_c,
                                       media_describe_c};

// ---- video generation ------------------------------------------------------

oc_status OC_ABI video_describe_c(const oc_provider* self, const oc_sink* out, oc_error* err) {
  return guarded(err, [&]() -> oc_status {
    if (spec_of(self) == nullptr) return no_provider(err);
    return write_json(out, video_describe(), err);
  });
}

oc_status OC_ABI video_submit_c(const oc_provider* self, const oc_call_context* ctx,
                                oc_str request_json, oc_event_fn on_event, void* user_data,
                                const oc_sink* job_out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto request = parse_object(request_json, "video request");
    if (!request) return fail(err, request.error());
    EventSink events(on_event, user_data);
    auto job = video_submit(spec, call, *request, events);
    // A submitted job is reported even if the host stopped listening: the
    // task id must reach the job sink so a paid job is never lost.
    if (job) return write_json(job_out, *job, err);
    return finish(job, events, err);
  });
}

oc_status OC_ABI video_poll_c(const oc_provider* self, const oc_call_context* ctx, oc_str job_json,
                              const oc_sink* status_out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto job = parse_object(job_json, "video job");
    if (!job) return fail(err, job.error());
    auto status = video_poll(spec, call, *job);
    if (!status) return fail(err, status.error());
    return write_json(status_out, *status, err);
  });
}

oc_status OC_ABI video_wait_c(const oc_provider* self, const oc_call_context* ctx, oc_str job_json,
                              uint32_t max_wait_ms, oc_event_fn on_event, void* user_data,
                              const oc_sink* result_out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto job = parse_object(job_json, "video job");
    if (!job) return fail(err, job.error());
    EventSink events(on_event, user_data);
    auto outcome = video_wait(spec, call, *job, max_wait_ms, events);
    if (!outcome) return finish(outcome, events, err);
    const auto written = write_json(result_out, outcome->result, err);
    return written == OC_OK ? outcome->status : written;
  });
}

oc_status OC_ABI video_download_c(const oc_provider* self, const oc_call_context* ctx, oc_str url,
                                  oc_event_fn on_event, void* user_data, const oc_sink* bytes_out,
                                  oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    if (bytes_out == nullptr || bytes_out->write == nullptr) {
      return fail(err, OC_ERR_INVALID_ARGUMENT, "No byte sink was given for the download.");
    }
    EventSink events(on_event, user_data);
    bool sink_refused = false;
    const ByteSink bytes = [&](std::string_view chunk) {
      sink_refused = bytes_out->write(bytes_out->user_data, chunk.data(), chunk.size()) != 0;
      return !sink_refused;
    };
    auto result = video_download(spec, call, view(url), events, bytes);
    if (sink_refused) return fail(err, OC_ERR_CANCELLED, "The host stopped accepting the download.");
    return finish(result, events, err);
  });
}

const oc_video_generation_v1 kVideo{sizeof(oc_video_generation_v1), video_describe_c,
                                    video_submit_c,
                                    video_poll_c,
                                    video_wait_c,
                                    video_download_c};

// ---- device login ----------------------------------------------------------

oc_status OC_ABI login_start_c(const oc_provider* self, const oc_call_context* ctx,
                               const oc_sink* out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto pending = device_login_start(spec, call);
    if (!pending) return fail(err, pending.error());
    return write_json(out, *pending, err);
  });
}

oc_status OC_ABI login_poll_c(const oc_provider* self, const oc_call_context* ctx,
                              oc_str pending_json, const oc_sink* out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto pending = parse_object(pending_json, "device login state");
    if (!pending) return fail(err, pending.error());
    auto answer = device_login_poll(spec, call, *pending);
    if (!answer) return fail(err, answer.error());
    return write_json(out, *answer, err);
  });
}

oc_status OC_ABI login_refresh_c(const oc_provider* self, const oc_call_context* ctx,
                                 oc_str refresh_token, const oc_sink* out, oc_error* err) {
  return with_context(self, ctx, err, [&](const ProviderSpec& spec, const CallContext& call) {
    auto tokens = device_login_refresh(spec, call, view(refresh_token));
    if (!tokens) return fail(err, tokens.error());
    return write_json(out, *tokens, err);
  });
}

const oc_device_login_v1 kDeviceLogin{sizeof(oc_device_login_v1), login_start_c, login_poll_c,
                                      login_refresh_c};

const void* OC_ABI get_capability_c(const oc_provider* self, const char* id) {
  const auto* spec = spec_of(self);
  if (spec == nullptr || id == nullptr) return nullptr;
  const std::string_view capability(id);
  const bool portal = spec->id == qwen_oauth_provider().id;
  if (capability == OC_CAPABILITY_CHAT) return &kChat;
  if (capability == OC_CAPABILITY_MEDIA_UNDERSTANDING && !portal) return &kMedia;
  if (capability == OC_CAPABILITY_VIDEO_GENERATION && !portal) return &kVideo;
  if (capability == OC_CAPABILITY_DEVICE_LOGIN && portal) return &kDeviceLogin;
  return nullptr;
}

// ---- registration and lifetime --------------------------------------------

// Provider tables and descriptor strings live from the first init() to the
// last deinit() (policy O3).
struct Registration {
  std::array<std::string, 3> descriptors;
  std::array<oc_provider, 3> providers{};
};

std::mutex g_lifetime_mutex;
int g_init_count = 0;
Registration* g_registration = nullptr;

oc_status OC_ABI plugin_init(const oc_host* host, const char* /*plugin_path*/,
                             oc_version* negotiated, oc_error* err) {
  return guarded(err, [&]() -> oc_status {
    std::lock_guard lock(g_lifetime_mutex);
    if (host == nullptr || !OC_HAS_FIELD(host, oc_host, register_provider) ||
        host->register_provider == nullptr) {
      return fail(err, OC_ERR_INVALID_ARGUMENT,
                  "The host table is missing register_provider.",
                  "Pass an oc_host whose struct_size covers register_provider.");
    }
    if (host->abi_version.major != kPluginAbi.major) {
      return fail(err, OC_ERR_INCOMPATIBLE,
                  "The Qwen plugin speaks provider ABI " + std::to_string(kPluginAbi.major) +
                      ".x but the host speaks " + std::to_string(host->abi_version.major) + ".x.",
                  "Install a plugin build made for this host's ABI major version.");
    }
    if (negotiated != nullptr) {
      *negotiated = {kPluginAbi.major, std::min(kPluginAbi.minor, host->abi_version.minor),
                     kPluginAbi.patch};
    }
    if (g_init_count > 0) {
      ++g_init_count;
      return OC_OK;
    }

    auto registration = std::make_unique<Registration>();
    const auto specs = all_providers();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const ProviderSpec& spec = *specs[i];
      registration->descriptors[i] = descriptor_json(spec);
      auto& provider = registration->providers[i];
      provider.struct_size = sizeof(oc_provider);
      provider.id = spec.id.data();
      provider.alias_of = spec.alias_of.empty() ? nullptr : spec.alias_of.data();
      provider.display_name = spec.display_name.data();
      provider.descriptor_json = registration->descriptors[i].c_str();
      provider.list_models = list_models_c;
      provider.resolve_model = resolve_model_c;
      provider.onboard = onboard_c;
      provider.get_capability = get_capability_c;
      provider.provider_data = const_cast<ProviderSpec*>(&spec);
    }
    for (const auto& provider : registration->providers) {
      const oc_status status = host->register_provider(host->host_data, &provider, err);
      if (status != OC_OK) return status; // the host filled err
    }
    g_registration = registration.release();
    g_init_count = 1;
    return OC_OK;
  });
}

void OC_ABI plugin_deinit() {
  std::lock_guard lock(g_lifetime_mutex);
  if (g_init_count == 0) return;
  if (--g_init_count == 0) {
    delete g_registration;
    g_registration = nullptr;
  }
}

const char* OC_ABI plugin_status_name(oc_status status) {
  switch (status) {
  case OC_OK: return "ok";
  case OC_INCOMPLETE: return "incomplete";
  case OC_ERR_INVALID_ARGUMENT: return "invalid-argument";
  case OC_ERR_NOT_IMPLEMENTED: return "not-implemented";
  case OC_ERR_UNAVAILABLE: return "unavailable";
  case OC_ERR_INCOMPATIBLE: return "incompatible";
  case OC_ERR_NOT_FOUND: return "not-found";
  case OC_ERR_INTERNAL: return "internal";
  case OC_ERR_AUTH: return "auth";
  case OC_ERR_RATE_LIMITED: return "rate-limited";
  case OC_ERR_MODEL_UNSUPPORTED_ON_PLAN: return "model-unsupported-on-plan";
  case OC_ERR_BAD_REQUEST: return "bad-request";
  case OC_ERR_UPSTREAM: return "upstream";
  case OC_ERR_TIMEOUT: return "timeout";
  case OC_ERR_CANCELLED: return "cancelled";
  case OC_ERR_NETWORK: return "network";
  case OC_ERR_TLS: return "tls";
  default: return status < 0 ? "error" : "ok";
  }
}

} // namespace

extern "C" OC_EXPORT const oc_plugin_entry openclaw_provider_plugin_entry{
    sizeof(oc_plugin_entry), kPluginAbi,     "qwen", "0.1.0", plugin_init, plugin_deinit,
    plugin_status_name};
