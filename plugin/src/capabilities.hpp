// The C++ side of every capability the ABI declares. abi_entry.cpp converts
// the C structs and calls these; each lives in its own file.
#pragma once

#include "call_context.hpp"
#include "event_sink.hpp"
#include "plugin_error.hpp"
#include "provider_specs.hpp"

#include <openclaw_qwen/catalog.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <string_view>

namespace openclaw::qwen {

// Receives downloaded bytes; returns false to stop (eg the disk is full).
using ByteSink = std::function<bool(std::string_view bytes)>;

// chat.cpp
Status chat_complete(const ProviderSpec& spec, const CallContext& ctx,
                     const boost::json::object& request, EventSink& events);
// The same pipeline for a model resolved elsewhere (media understanding
// sends its vision model through it); request["model"] is ignored.
Status chat_complete_for_model(const ProviderSpec& spec, const CallContext& ctx,
                               const catalog::ModelRow& model, const boost::json::object& request,
                               EventSink& events);

// media_understanding.cpp
Result<boost::json::object> media_availability(const ProviderSpec& spec, const CallContext& ctx);
Status media_describe(const ProviderSpec& spec, const CallContext& ctx,
                      const boost::json::object& request, EventSink& events);

// video_generation.cpp
struct VideoWaitOutcome {
  oc_status status = OC_OK; // OC_OK (succeeded) or OC_INCOMPLETE (still running)
  boost::json::object result;
};
boost::json::object video_describe();
Result<boost::json::object> video_submit(const ProviderSpec& spec, const CallContext& ctx,
                                         const boost::json::object& request, EventSink& events);
Result<boost::json::object> video_poll(const ProviderSpec& spec, const CallContext& ctx,
                                       const boost::json::object& job);
Result<VideoWaitOutcome> video_wait(const ProviderSpec& spec, const CallContext& ctx,
                                    const boost::json::object& job, std::uint32_t max_wait_ms,
                                    EventSink& events);
Status video_download(const ProviderSpec& spec, const CallContext& ctx, std::string_view url,
                      EventSink& events, const ByteSink& bytes);

// device_login.cpp
Result<boost::json::object> device_login_start(const ProviderSpec& spec, const CallContext& ctx);
Result<boost::json::object> device_login_poll(const ProviderSpec& spec, const CallContext& ctx,
                                              const boost::json::object& pending);
Result<boost::json::object> device_login_refresh(const ProviderSpec& spec, const CallContext& ctx,
                                                 std::string_view refresh_token);

} // namespace openclaw::qwen
