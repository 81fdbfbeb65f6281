#include "video/video_request.hpp"

#include <openclaw_qwen/endpoint.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace openclaw::qwen::video {

namespace json = boost::json;

namespace {

constexpr std::array<ModelInfo, 5> kModels{{
    {"wan2.6-t2v", ModelMode::TextToVideo},
    {"wan2.6-i2v", ModelMode::ImageToVideo},
    {"wan2.6-r2v", ModelMode::ReferenceToVideo},
    {"wan2.6-r2v-flash", ModelMode::ReferenceToVideo},
    {"wan2.7-r2v", ModelMode::ReferenceToVideo},
}};

PluginError invalid(std::string message, std::string hint) {
  return make_error(OC_ERR_INVALID_ARGUMENT, std::move(message), std::move(hint));
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string model_list() {
  std::string out;
  for (const auto& model : kModels) out += (out.empty() ? "" : ", ") + std::string(model.id);
  return out;
}

// What a user sees for an input they gave, bounded.
std::string shown(std::string_view text) {
  if (text.size() <= 80) return std::string(text);
  return std::string(text.substr(0, 77)) + "...";
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

Result<std::optional<std::string>> optional_string(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) {
    return invalid("\"" + std::string(key) + "\" must be a string.", "See oc_video_generation_v1.submit.");
  }
  if (value->as_string().empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(value->as_string()));
}

Result<std::optional<bool>> optional_bool(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (!value->is_bool()) {
    return invalid("\"" + std::string(key) + "\" must be true or false.", "See oc_video_generation_v1.submit.");
  }
  return std::optional<bool>(value->as_bool());
}

// A whole number from a JSON number (3, 3.0), or an error naming the key.
Result<std::optional<long long>> optional_whole(const json::object& request, std::string_view key) {
  const auto* value = request.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<long long>();
  if (value->is_int64()) return std::optional<long long>(value->as_int64());
  if (value->is_uint64()) {
    const auto number = value->as_uint64();
    return std::optional<long long>(number > 1'000'000 ? 1'000'000 : static_cast<long long>(number));
  }
  if (value->is_double() && std::isfinite(value->as_double()) &&
      std::trunc(value->as_double()) == value->as_double() && std::fabs(value->as_double()) < 1e9) {
    return std::optional<long long>(static_cast<long long>(value->as_double()));
  }
  return invalid("\"" + std::string(key) + "\" must be a whole number.", "See oc_video_generation_v1.submit.");
}

// Reference inputs: strings or {"url"} objects, each a remote http(s) URL.
Result<std::vector<std::string>> reference_urls(const json::object& request, std::string_view key,
                                                std::string_view kind) {
  std::vector<std::string> urls;
  const auto* value = request.if_contains(key);
  if (value == nullptr || value->is_null()) return urls;
  if (!value->is_array()) {
    return invalid("\"" + std::string(key) + "\" must be an array of http(s) URLs.",
                   "Pass eg [\"https://example.com/" + std::string(kind) + "\"].");
  }
  for (const auto& item : value->as_array()) {
    const json::value* url = &item;
    if (item.is_object()) {
      url = item.as_object().if_contains("url");
      if (url == nullptr) url = &item;
    }
    if (!url->is_string()) {
      return invalid("Each entry of \"" + std::string(key) + "\" must be an http(s) URL string.",
                     "Pass eg [\"https://example.com/" + std::string(kind) + "\"].");
    }
    const std::string text(url->as_string());
    const auto endpoint = catalog::classify_endpoint(text);
    if (!endpoint) {
      return invalid("Reference " + std::string(kind) + " '" + shown(text) +
                         "' is not a remote http(s) URL; local files cannot be used for video generation.",
                     "The DashScope video endpoint does not accept uploaded files: put the " + std::string(kind) +
                         " somewhere it can fetch and pass its http(s) URL.");
    }
    urls.push_back(text);
  }
  return urls;
}

Status check_mode(const ModelInfo& model, const VideoRequest& request) {
  const auto images = request.images.size();
  const auto videos = request.videos.size();
  const std::string id(model.id);
  switch (model.mode) {
  case ModelMode::TextToVideo:
    if (images + videos > 0) {
      return invalid(id + " is text-to-video and takes no reference image or video.",
                     "Use wan2.6-i2v for one image, or a reference-to-video model (wan2.6-r2v, "
                     "wan2.6-r2v-flash, wan2.7-r2v) for references; or drop the inputs.");
    }
    break;
  case ModelMode::ImageToVideo:
    if (images != 1 || videos != 0) {
      return invalid(id + " is image-to-video and needs exactly 1 input image and no video (got " +
                         std::to_string(images) + " images, " + std::to_string(videos) + " videos).",
                     "Pass one image URL, or use a reference-to-video model for videos.");
    }
    break;
  case ModelMode::ReferenceToVideo:
    if (images + videos == 0) {
      return invalid(id + " is reference-to-video and needs at least one reference image or video.",
                     "Pass reference URLs, or use wan2.6-t2v for text only.");
    }
    break;
  }
  return Ok{};
}

} // namespace

std::span<const ModelInfo> models() { return kModels; }

const ModelInfo* find_model(std::string_view id) {
  for (const auto& model : kModels) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

std::string_view mode_name(ModelMode mode) {
  switch (mode) {
  case ModelMode::TextToVideo: return "text-to-video";
  case ModelMode::ImageToVideo: return "image-to-video";
  case ModelMode::ReferenceToVideo: return "reference-to-video";
  }
  return "text-to-video";
}

std::optional<std::string> size_for_resolution(std::string_view resolution) {
  const auto key = upper(resolution);
  if (key == "480P") return std::string("832*480");
  if (key == "720P") return std::string("1280*720");
  if (key == "1080P") return std::string("1920*1080");
  return std::nullopt;
}

Result<VideoRequest> parse_video_request(const json::object& request) {
  VideoRequest out;

  // Counts first: the limits are the errors a user most needs to see.
  auto count = optional_whole(request, "count");
  if (!count) return count.error();
  if (*count && (**count < 1 || **count > kMaxOutputVideos)) {
    return invalid("Qwen video generation makes at most " + std::to_string(kMaxOutputVideos) +
                       " output video per request (asked for " + std::to_string(**count) + ").",
                   "Ask for one video, and submit more jobs for more.");
  }
  auto images = reference_urls(request, "images", "image");
  if (!images) return images.error();
  if (images->size() > static_cast<std::size_t>(kMaxInputImages)) {
    return invalid("Qwen video generation takes at most " + std::to_string(kMaxInputImages) +
                       " input image (got " + std::to_string(images->size()) + ").",
                   "Pass a single image.");
  }
  auto videos = reference_urls(request, "videos", "video");
  if (!videos) return videos.error();
  if (videos->size() > static_cast<std::size_t>(kMaxInputVideos)) {
    return invalid("Qwen video generation takes at most " + std::to_string(kMaxInputVideos) +
                       " input videos (got " + std::to_string(videos->size()) + ").",
                   "Pass at most " + std::to_string(kMaxInputVideos) + " reference videos.");
  }
  out.images = std::move(*images);
  out.videos = std::move(*videos);

  auto duration = optional_whole(request, "durationSeconds");
  if (!duration) return duration.error();
  if (*duration) {
    if (**duration > kMaxDurationSeconds) {
      return invalid("Qwen video generation makes videos of at most " + std::to_string(kMaxDurationSeconds) +
                         " s (asked for " + std::to_string(**duration) + " s).",
                     "Ask for " + std::to_string(kMaxDurationSeconds) + " seconds or less.");
    }
    if (**duration < 1) {
      return invalid("\"durationSeconds\" must be at least 1 (got " + std::to_string(**duration) + ").",
                     "Ask for 1 to " + std::to_string(kMaxDurationSeconds) + " seconds.");
    }
    out.duration_seconds = static_cast<int>(**duration);
  }

  auto model = optional_string(request, "model");
  if (!model) return model.error();
  const ModelInfo* info = nullptr;
  if (*model) {
    std::string id = **model;
    for (const std::string_view prefix : {"qwen/", "modelstudio/"}) {
      if (id.rfind(prefix, 0) == 0) id.erase(0, prefix.size());
    }
    info = find_model(id);
    if (info == nullptr) {
      return make_error(OC_ERR_NOT_FOUND, "Unknown video model '" + shown(**model) + "'.",
                        "Choose one of: " + model_list() + " (default " + std::string(kDefaultModel) + ").");
    }
  } else if (out.images.empty() && out.videos.empty()) {
    info = find_model(kDefaultModel);
  } else if (out.images.size() == 1 && out.videos.empty()) {
    info = find_model("wan2.6-i2v");
  } else {
    info = find_model("wan2.6-r2v");
  }
  out.model = std::string(info->id);
  if (auto mode = check_mode(*info, out); !mode) return mode.error();

  auto prompt = optional_string(request, "prompt");
  if (!prompt) return prompt.error();
  if (!*prompt) {
    return invalid("The video request has no prompt.", "Describe the video to generate in \"prompt\".");
  }
  out.prompt = **prompt;

  auto size = optional_string(request, "size");
  if (!size) return size.error();
  auto resolution = optional_string(request, "resolution");
  if (!resolution) return resolution.error();
  if (*size) {
    std::string text = **size;
    std::replace(text.begin(), text.end(), 'x', '*');
    std::replace(text.begin(), text.end(), 'X', '*');
    const auto star = text.find('*');
    if (star == std::string::npos || !all_digits(text.substr(0, star)) || !all_digits(text.substr(star + 1))) {
      return invalid("\"size\" must be WIDTH*HEIGHT in pixels, eg 1280*720 (got '" + shown(**size) + "').",
                     "Or give a resolution: 480P, 720P or 1080P.");
    }
    out.size = text;
  }
  if (*resolution) {
    const auto mapped = size_for_resolution(**resolution);
    if (!mapped) {
      return invalid("\"resolution\" must be 480P, 720P or 1080P (got '" + shown(**resolution) + "').",
                     "Or give an exact size, eg 1280*720.");
    }
    if (!out.size) out.size = *mapped; // an explicit size wins
  }

  auto aspect = optional_string(request, "aspectRatio");
  if (!aspect) return aspect.error();
  if (*aspect) {
    const auto colon = (*aspect)->find(':');
    if (colon == std::string::npos || !all_digits((*aspect)->substr(0, colon)) ||
        !all_digits((*aspect)->substr(colon + 1))) {
      return invalid("\"aspectRatio\" must look like 16:9 (got '" + shown(**aspect) + "').",
                     "Use eg 16:9, 9:16 or 1:1.");
    }
    out.aspect_ratio = **aspect;
  }

  auto audio = optional_bool(request, "audio");
  if (!audio) return audio.error();
  out.audio = *audio;
  auto watermark = optional_bool(request, "watermark");
  if (!watermark) return watermark.error();
  out.watermark = *watermark;
  return out;
}

json::object build_submit_body(const VideoRequest& request) {
  json::object input;
  input["prompt"] = request.prompt;
  if (request.images.size() == 1 && request.videos.empty()) {
    input["img_url"] = request.images.front();
  } else if (!request.images.empty() || !request.videos.empty()) {
    json::array references;
    for (const auto& url : request.images) references.emplace_back(url);
    for (const auto& url : request.videos) references.emplace_back(url);
    input["reference_urls"] = std::move(references);
  }

  json::object parameters;
  if (request.size) parameters["size"] = *request.size;
  if (request.aspect_ratio) parameters["aspect_ratio"] = *request.aspect_ratio;
  parameters["duration"] = request.duration_seconds;
  if (request.audio) parameters["audio"] = *request.audio;
  if (request.watermark) parameters["watermark"] = *request.watermark;

  json::object body;
  body["model"] = request.model;
  body["input"] = std::move(input);
  body["parameters"] = std::move(parameters);
  return body;
}

} // namespace openclaw::qwen::video
