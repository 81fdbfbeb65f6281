#include "capabilities.hpp"

namespace openclaw::qwen {

Result<boost::json::object> media_availability(const ProviderSpec&, const CallContext&) {
  return make_error(OC_ERR_NOT_IMPLEMENTED,
                    "Media understanding is not implemented in this plugin build yet.");
}

Status media_describe(const ProviderSpec&, const CallContext&, const boost::json::object&,
                      EventSink&) {
  return make_error(OC_ERR_NOT_IMPLEMENTED,
                    "Media understanding is not implemented in this plugin build yet.");
}

} // namespace openclaw::qwen
