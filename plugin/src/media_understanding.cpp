// Media understanding: images and video described by qwen-vl-max-latest over
// the OpenAI-compatible chat endpoint. Only Standard DashScope endpoints (and
// custom base URLs) serve it; the request itself goes through the chat
// pipeline with a vision model row, so streaming, retries and error mapping
// are the chat capability's.
#include "capabilities.hpp"
#include "model_service.hpp"
#include "upstream.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace openclaw::qwen {

namespace json = boost::json;

namespace {

constexpr std::string_view kVisionModel = "qwen-vl-max-latest";
// Model Studio accepts a local file as a Base64 data URL of at most 10 MB
// (the encoded string), for images and videos alike; larger files have to be
// passed as a URL.
constexpr std::size_t kMaxInlineBytes = std::size_t{10} * 1024 * 1024;
constexpr std::string_view kDefaultPrompt = "Describe what you see.";

struct Availability {
  bool available = true;
  std::string reason;
  std::string fix;
};

std::string standard_choices_for(catalog::Region region) {
  switch (region) {
  case catalog::Region::China: return "`claw-host onboard --auth-choice qwen-standard-api-key-cn`";
  case catalog::Region::Global: return "`claw-host onboard --auth-choice qwen-standard-api-key`";
  case catalog::Region::Unknown: break;
  }
  return "`claw-host onboard --auth-choice qwen-standard-api-key` (Global) or "
         "`--auth-choice qwen-standard-api-key-cn` (China)";
}

Availability availability_of(const ProviderSpec& spec, const CallContext& ctx) {
  const auto endpoint = catalog::classify_endpoint(ctx.base_url);
  Availability out;
  const bool portal = spec.id == qwen_oauth_provider().id ||
                      (endpoint && endpoint->kind == catalog::EndpointKind::Portal);
  if (portal) {
    out.available = false;
    out.reason = "Media understanding (" + std::string(kVisionModel) +
                 ") is not served on the Qwen Portal endpoint; it needs a Standard (pay-as-you-go) "
                 "DashScope endpoint.";
    out.fix = "Set up a Standard key: " + standard_choices_for(catalog::Region::Unknown) + ".";
    return out;
  }
  if (!endpoint) {
    out.available = false;
    out.reason = "The base URL '" + ctx.base_url + "' is not an http(s) URL.";
    out.fix = "Fix models.providers." + ctx.provider_id + ".baseUrl, or onboard again with " +
              standard_choices_for(catalog::Region::Unknown) + ".";
    return out;
  }
  if (endpoint->is_coding_plan()) {
    out.available = false;
    out.reason = "Media understanding (" + std::string(kVisionModel) + ") is not served on the Qwen Coding Plan endpoint (" +
                 endpoint->host + "); it needs a Standard (pay-as-you-go) DashScope endpoint.";
    out.fix = "Set up a Standard key for this region: " + standard_choices_for(endpoint->region()) +
              " (or pass a Standard base URL with --base-url).";
  }
  return out;
}

bool is_http_url(std::string_view text) { return catalog::classify_endpoint(text).has_value(); }

bool is_base64(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
  });
}

std::string megabytes(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// What a user sees for an input they gave: never a whole data URL.
std::string shown(std::string_view text) {
  if (text.size() <= 80) return std::string(text);
  return std::string(text.substr(0, 77)) + "...";
}

// One image or video of the request as the URL DashScope receives: an
// http(s) URL as given, or a data URL within the inline limit.
Result<std::string> media_url(const json::value& item, std::string_view kind, std::size_t index) {
  const std::string label = std::string(kind == "image" ? "Image " : "Video ") + std::to_string(index + 1);
  const std::string mime_prefix = std::string(kind) + "/";
  std::string url;
  std::string data;
  std::string mime;
  if (item.is_string()) {
    url = std::string(item.as_string());
  } else if (item.is_object()) {
    const auto& object = item.as_object();
    if (const auto* value = object.if_contains("url"); value != nullptr && value->is_string()) {
      url = std::string(value->as_string());
    } else if (const auto* encoded = object.if_contains("data"); encoded != nullptr && encoded->is_string()) {
      data = std::string(encoded->as_string());
      const auto* type = object.if_contains("mimeType");
      mime = type != nullptr && type->is_string() ? std::string(type->as_string()) : std::string();
      if (mime.rfind(mime_prefix, 0) != 0) {
        return make_error(OC_ERR_INVALID_ARGUMENT,
                          label + " has inline data but its mimeType is '" + mime + "', not " + mime_prefix + "*.",
                          "Set mimeType, eg \"" + mime_prefix + (kind == "image" ? "png" : "mp4") + "\".");
      }
    }
  }
  if (url.empty() && data.empty()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, label + " has neither a url nor inline data.",
                      "Pass {\"url\": \"https://...\"} or {\"data\": <base64>, \"mimeType\": \"" + mime_prefix +
                          "...\"}.");
  }

  if (!url.empty()) {
    if (url.rfind("data:", 0) == 0) {
      const auto comma = url.find(',');
      if (comma == std::string::npos || url.compare(5, mime_prefix.size(), mime_prefix) != 0 ||
          url.find(";base64", 5) > comma) {
        return make_error(OC_ERR_INVALID_ARGUMENT,
                          label + " is a data URL but not a Base64 " + mime_prefix + "* one.",
                          "Use data:" + mime_prefix + "<type>;base64,<data>.");
      }
      data = url.substr(comma + 1);
    } else if (!is_http_url(url)) {
      return make_error(OC_ERR_INVALID_ARGUMENT,
                        label + " ('" + shown(url) + "') is neither an http(s) URL nor inline data.",
                        "The plugin never reads local files: send the file's bytes as {\"data\": <base64>, "
                        "\"mimeType\"} (claw-host does this for a local path), or pass an http(s) URL.");
    } else {
      return url;
    }
  }
  if (data.size() > kMaxInlineBytes) {
    return make_error(OC_ERR_INVALID_ARGUMENT,
                      label + " is too large to send inline: " + megabytes(data.size()) +
                          " Base64-encoded; DashScope accepts at most " + megabytes(kMaxInlineBytes) +
                          " per inline " + std::string(kind) + ".",
                      "Upload the file somewhere DashScope can reach and pass its http(s) URL instead.");
  }
  if (data.empty() || !is_base64(data)) {
    return make_error(OC_ERR_INVALID_ARGUMENT, label + "'s inline data is not Base64.",
                      "Encode the file's bytes with standard Base64 (no line breaks).");
  }
  if (!url.empty()) return url;
  return "data:" + mime + ";base64," + data;
}

Result<json::array> media_parts(const json::object& request, std::string_view key, std::string_view kind,
                                std::string_view part_type) {
  json::array parts;
  const auto* items = request.if_contains(key);
  if (items == nullptr || items->is_null()) return parts;
  if (!items->is_array()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "\"" + std::string(key) + "\" must be an array.",
                      "Pass [{\"url\": ...}, ...].");
  }
  for (std::size_t i = 0; i < items->as_array().size(); ++i) {
    auto url = media_url(items->as_array()[i], kind, i);
    if (!url) return url.error();
    json::object part;
    part["type"] = part_type;
    part[part_type] = json::object{{"url", std::move(*url)}};
    parts.push_back(std::move(part));
  }
  return parts;
}

// The vision model as a row the chat pipeline understands: images and video
// in, no reasoning flag (so no enable_thinking is sent).
catalog::ModelRow vision_model_row(const ProviderSpec& spec) {
  catalog::ModelRow row;
  row.id = std::string(kVisionModel);
  row.ref = std::string(ref_prefix_for(spec)) + "/" + row.id;
  row.name = row.id;
  row.input = {"text", "image", "video"};
  row.context_window = 131'072;
  row.max_tokens = 8'192;
  row.in_catalog = false;
  return row;
}

} // namespace

Result<json::object> media_availability(const ProviderSpec& spec, const CallContext& ctx) {
  const auto availability = availability_of(spec, ctx);
  json::object out;
  out["available"] = availability.available;
  out["model"] = kVisionModel;
  out["inputs"] = json::array{"image", "video"};
  out["reason"] = availability.reason;
  out["fix"] = availability.fix;
  return out;
}

Status media_describe(const ProviderSpec& spec, const CallContext& ctx, const json::object& request,
                      EventSink& events) {
  // Decided from the endpoint alone: an unavailable endpoint never sees a request.
  const auto availability = availability_of(spec, ctx);
  if (!availability.available) return make_error(OC_ERR_UNAVAILABLE, availability.reason, availability.fix);

  auto images = media_parts(request, "images", "image", "image_url");
  if (!images) return images.error();
  auto videos = media_parts(request, "videos", "video", "video_url");
  if (!videos) return videos.error();
  if (images->empty() && videos->empty()) {
    return make_error(OC_ERR_INVALID_ARGUMENT, "The media request has no images or videos.",
                      "Add at least one entry to \"images\" or \"videos\".");
  }
  std::string prompt(kDefaultPrompt);
  if (const auto* value = request.if_contains("prompt"); value != nullptr && !value->is_null()) {
    if (!value->is_string()) {
      return make_error(OC_ERR_INVALID_ARGUMENT, "\"prompt\" must be a string.", "Pass the question as text.");
    }
    if (!value->as_string().empty()) prompt = std::string(value->as_string());
  }
  if (auto key = require_api_key(ctx, "media understanding"); !key) return key.error();

  json::array content;
  for (auto& part : *images) content.push_back(std::move(part));
  for (auto& part : *videos) content.push_back(std::move(part));
  content.push_back(json::object{{"type", "text"}, {"text", prompt}});

  const auto* stream = request.if_contains("stream");
  json::object chat_request;
  chat_request["messages"] = json::array{json::object{{"role", "user"}, {"content", std::move(content)}}};
  chat_request["stream"] = stream == nullptr || !stream->is_bool() || stream->as_bool();
  for (const auto* key : {"max_tokens", "temperature", "top_p"}) {
    if (const auto* value = request.if_contains(key)) chat_request[key] = *value;
  }
  return chat_complete_for_model(spec, ctx, vision_model_row(spec), chat_request, events);
}

} // namespace openclaw::qwen
