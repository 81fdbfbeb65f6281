#include "capabilities.hpp"

namespace openclaw::qwen {
namespace {
PluginError not_yet() {
  return make_error(OC_ERR_NOT_IMPLEMENTED,
                    "Qwen Portal device login is not implemented in this plugin build yet.");
}
} // namespace

Result<boost::json::object> device_login_start(const ProviderSpec&, const CallContext&) {
  return not_yet();
}

Result<boost::json::object> device_login_poll(const ProviderSpec&, const CallContext&,
                                              const boost::json::object&) {
  return not_yet();
}

Result<boost::json::object> device_login_refresh(const ProviderSpec&, const CallContext&,
                                                 std::string_view) {
  return not_yet();
}

} // namespace openclaw::qwen
