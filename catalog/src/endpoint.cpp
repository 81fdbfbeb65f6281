#include "openclaw_qwen/endpoint.hpp"

#include <algorithm>
#include <cctype>

namespace openclaw::qwen::catalog {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

EndpointKind kind_of_host(std::string_view host) {
  if (host == "dashscope.aliyuncs.com") return EndpointKind::StandardChina;
  if (host == "dashscope-intl.aliyuncs.com") return EndpointKind::StandardGlobal;
  if (host == "coding.dashscope.aliyuncs.com") return EndpointKind::CodingPlanChina;
  if (host == "coding-intl.dashscope.aliyuncs.com") return EndpointKind::CodingPlanGlobal;
  if (host == "portal.qwen.ai") return EndpointKind::Portal;
  return EndpointKind::Custom;
}

} // namespace

bool Endpoint::is_coding_plan() const {
  return kind == EndpointKind::CodingPlanChina || kind == EndpointKind::CodingPlanGlobal;
}

bool Endpoint::is_standard() const {
  return kind == EndpointKind::StandardChina || kind == EndpointKind::StandardGlobal;
}

bool Endpoint::is_native_dashscope() const { return is_coding_plan() || is_standard(); }

Region Endpoint::region() const {
  switch (kind) {
  case EndpointKind::StandardChina:
  case EndpointKind::CodingPlanChina:
    return Region::China;
  case EndpointKind::StandardGlobal:
  case EndpointKind::CodingPlanGlobal:
  case EndpointKind::Portal:
    return Region::Global;
  case EndpointKind::Custom:
    break;
  }
  return Region::Unknown;
}

std::optional<Endpoint> classify_endpoint(std::string_view base_url) {
  const auto scheme_end = base_url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Endpoint endpoint;
  endpoint.scheme = lower(base_url.substr(0, scheme_end));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") return std::nullopt;

  std::string_view rest = base_url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1); // userinfo never identifies an endpoint
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') { // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    port = authority.substr(close + 1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (!port.empty() && (port.size() < 2 || port.front() != ':' ||
                        !std::all_of(port.begin() + 1, port.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; }))) {
    return std::nullopt;
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return std::nullopt;

  endpoint.host = lower(host);
  endpoint.origin = endpoint.scheme + "://" + endpoint.host + std::string(port);
  endpoint.kind = kind_of_host(endpoint.host);
  return endpoint;
}

std::string_view endpoint_family(EndpointKind kind) {
  switch (kind) {
  case EndpointKind::StandardChina:
  case EndpointKind::StandardGlobal:
    return "standard";
  case EndpointKind::CodingPlanChina:
  case EndpointKind::CodingPlanGlobal:
    return "coding-plan";
  case EndpointKind::Portal:
    return "portal";
  case EndpointKind::Custom:
    break;
  }
  return "custom";
}

std::string aigc_origin(const Endpoint& endpoint) {
  switch (endpoint.kind) {
  case EndpointKind::StandardChina:
  case EndpointKind::CodingPlanChina:
    return "https://dashscope.aliyuncs.com";
  case EndpointKind::StandardGlobal:
  case EndpointKind::CodingPlanGlobal:
    return "https://dashscope-intl.aliyuncs.com";
  case EndpointKind::Portal:
  case EndpointKind::Custom:
    break;
  }
  return endpoint.origin;
}

} // namespace openclaw::qwen::catalog
