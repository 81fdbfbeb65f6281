#include "capabilities.hpp"

namespace openclaw::qwen {
namespace {
PluginError not_yet() {
  return make_error(OC_ERR_NOT_IMPLEMENTED,
                    "Video generation is not implemented in this plugin build yet.");
}
} // namespace

boost::json::object video_describe() { return {}; }

Result<boost::json::object> video_submit(const ProviderSpec&, const CallContext&,
                                         const boost::json::object&, EventSink&) {
  return not_yet();
}

Result<boost::json::object> video_poll(const ProviderSpec&, const CallContext&,
                                       const boost::json::object&) {
  return not_yet();
}

Result<VideoWaitOutcome> video_wait(const ProviderSpec&, const CallContext&,
                                    const boost::json::object&, std::uint32_t, EventSink&) {
  return not_yet();
}

Status video_download(const ProviderSpec&, const CallContext&, std::string_view, EventSink&,
                      const ByteSink&) {
  return not_yet();
}

} // namespace openclaw::qwen
