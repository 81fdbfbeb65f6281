// Images and videos named on the command line, as chat content parts: an
// http(s) URL passes through; a local file is inlined as a data URL.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>

namespace claw_host {

// DashScope's documented limit for an inline (base64) image is 10 MB.
inline constexpr std::size_t kMaxInlineImageBytes = 10u * 1024 * 1024;

// {"type":"image_url","image_url":{"url":...}}. Throws CliError for a
// missing, unreadable, unsupported or oversized file, before any upload.
boost::json::object image_part_for(const std::string& source);

// A data URL for a local file, checked against `max_bytes`.
std::string data_url_for(const std::string& path, std::size_t max_bytes, const std::string& what);

bool is_remote_url(const std::string& source);

} // namespace claw_host
