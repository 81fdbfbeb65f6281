// Which Qwen endpoint a base URL points at. Everything endpoint-aware (model
// filtering, context cache, streaming usage, the video AIGC host) keys off
// this one classification, never off a provider id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace openclaw::qwen::catalog {

enum class EndpointKind {
  StandardChina,    // dashscope.aliyuncs.com
  StandardGlobal,   // dashscope-intl.aliyuncs.com
  CodingPlanChina,  // coding.dashscope.aliyuncs.com
  CodingPlanGlobal, // coding-intl.dashscope.aliyuncs.com
  Portal,           // portal.qwen.ai
  Custom,           // anything else (a proxy, a gateway, the local emulator)
};

enum class Region { China, Global, Unknown };

struct Endpoint {
  EndpointKind kind = EndpointKind::Custom;
  std::string scheme; // "https" or "http"
  std::string host;   // lower-case, trailing dot removed
  std::string origin; // scheme://host[:port], as the URL spelled the port

  bool is_coding_plan() const;
  bool is_standard() const;
  // One of the four hosts DashScope itself serves (Standard or Coding Plan).
  bool is_native_dashscope() const;
  Region region() const;
};

// Parses an http(s) base URL; nullopt when it is not one.
std::optional<Endpoint> classify_endpoint(std::string_view base_url);

// "standard", "coding-plan", "portal" or "custom": the names used by the
// catalog's "onlyOn" field and in messages.
std::string_view endpoint_family(EndpointKind kind);

// The DashScope AIGC (video generation) origin for a chat base URL: the
// region decides it whatever the plan; any other URL keeps its own origin.
std::string aigc_origin(const Endpoint& endpoint);

} // namespace openclaw::qwen::catalog
