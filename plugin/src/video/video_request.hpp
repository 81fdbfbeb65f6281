// A Wan video request: the host's document validated against every limit
// (before any network call), and the DashScope submit body built from it.
#pragma once

#include "plugin_error.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace openclaw::qwen::video {

inline constexpr std::string_view kDefaultModel = "wan2.6-t2v";
inline constexpr int kMaxOutputVideos = 1;
inline constexpr int kMaxInputImages = 1;
inline constexpr int kMaxInputVideos = 4;
inline constexpr int kMaxDurationSeconds = 10;
inline constexpr int kDefaultDurationSeconds = 5;

// What a model does with reference inputs.
enum class ModelMode {
  TextToVideo,      // no references
  ImageToVideo,     // exactly one image, no video
  ReferenceToVideo, // one or more images/videos as references
};

struct ModelInfo {
  std::string_view id;
  ModelMode mode;
};

// wan2.6-t2v (default), wan2.6-i2v, wan2.6-r2v, wan2.6-r2v-flash, wan2.7-r2v.
std::span<const ModelInfo> models();
const ModelInfo* find_model(std::string_view id);
std::string_view mode_name(ModelMode mode); // "text-to-video", ...

// "480P" -> "832*480", "720P" -> "1280*720", "1080P" -> "1920*1080";
// case-insensitive; nullopt for anything else.
std::optional<std::string> size_for_resolution(std::string_view resolution);

struct VideoRequest {
  std::string model;
  std::string prompt;
  std::vector<std::string> images; // http(s) URLs
  std::vector<std::string> videos; // http(s) URLs
  int duration_seconds = kDefaultDurationSeconds;
  std::optional<std::string> size; // "W*H", from size or resolution
  std::optional<std::string> aspect_ratio;
  std::optional<bool> audio;
  std::optional<bool> watermark;
};

// Validates the host's request (see oc_video_generation_v1.submit). Every
// violation is OC_ERR_INVALID_ARGUMENT (an unknown model OC_ERR_NOT_FOUND)
// whose message names the limit and whose hint names the fix. Without a
// model, the inputs choose one: none -> wan2.6-t2v, one image -> wan2.6-i2v,
// anything else -> wan2.6-r2v.
Result<VideoRequest> parse_video_request(const boost::json::object& request);

// {model, input: {prompt, img_url | reference_urls}, parameters: {...}}:
// one image and no video -> img_url, otherwise reference_urls.
boost::json::object build_submit_body(const VideoRequest& request);

} // namespace openclaw::qwen::video
