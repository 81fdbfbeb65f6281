// Turns the host's chat request into the body DashScope (or the Portal)
// expects, applying the endpoint-specific rules of SPEC.md "Chat".
#pragma once

#include <openclaw_qwen/catalog.hpp>
#include <openclaw_qwen/endpoint.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string_view>

namespace openclaw::qwen::chat {

inline constexpr std::string_view kImageOmittedText = "(image omitted: model does not support images)";

struct ChatTarget {
  const catalog::ModelRow& model;
  std::optional<catalog::Endpoint> endpoint; // nullopt: unparseable base URL
  bool portal = false;                       // the qwen-oauth provider (Portal rules)
};

// Builds the upstream body. `request` is the host's document (see
// oc_chat_v1.complete); the result is ready to serialise.
boost::json::object build_chat_body(const boost::json::object& request, const ChatTarget& target);

// True for every thinking level except "off"/"none" (and for no level).
bool thinking_enabled(const boost::json::object& request);

} // namespace openclaw::qwen::chat
