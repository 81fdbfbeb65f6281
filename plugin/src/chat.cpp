#include "capabilities.hpp"

namespace openclaw::qwen {

Status chat_complete(const ProviderSpec&, const CallContext&, const boost::json::object&,
                     EventSink&) {
  return make_error(OC_ERR_NOT_IMPLEMENTED, "Chat is not implemented in this plugin build yet.");
}

} // namespace openclaw::qwen
