#include "media_input.hpp"

#include "cli_error.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace claw_host {

namespace fs = std::filesystem;

namespace {

std::string mime_type_of(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes{
      {".png", "image/png"},   {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"}, {".webp", "image/webp"},
      {".gif", "image/gif"},   {".bmp", "image/bmp"},   {".tif", "image/tiff"},  {".tiff", "image/tiff"},
      {".mp4", "video/mp4"},   {".mov", "video/quicktime"}, {".avi", "video/x-msvideo"},
      {".mkv", "video/x-matroska"}, {".webm", "video/webm"}};
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto it = kTypes.find(extension);
  return it == kTypes.end() ? std::string() : it->second;
}

} // namespace

bool is_remote_url(const std::string& source) {
  return source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
}

std::string data_url_for(const std::string& path, std::size_t max_bytes, const std::string& what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw CliError(kExitUsage, "No such " + what + " file: " + path + ".",
                   "Pass an existing file or an http(s) URL.");
  }
  const auto mime = mime_type_of(path);
  if (mime.empty()) {
    throw CliError(kExitUsage, "Unsupported " + what + " type: " + path + ".",
                   "Use png, jpg, webp, gif, bmp or tiff images; mp4, mov, avi, mkv or webm videos.");
  }
  const auto size = fs::file_size(path, ec);
  if (ec) throw CliError(kExitUsage, "Cannot read " + path + ": " + ec.message() + ".");
  // Base64 grows data by a third; the limit applies to what is sent.
  const std::size_t encoded = (size + 2) / 3 * 4;
  if (encoded > max_bytes) {
    throw CliError(kExitUsage,
                   path + " is too large to send inline (" + std::to_string(size / 1024) + " KiB; the limit is " +
                       std::to_string(max_bytes * 3 / 4 / 1024) + " KiB before encoding).",
                   "Upload it somewhere reachable and pass its http(s) URL instead.");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    throw CliError(kExitUsage, "Cannot read " + path + ".");
  }
  std::string out = "data:" + mime + ";base64,";
  const auto offset = out.size();
  out.resize(offset + boost::beast::detail::base64::encoded_size(bytes.size()));
  out.resize(offset + boost::beast::detail::base64::encode(out.data() + offset, bytes.data(), bytes.size()));
  return out;
}

boost::json::object image_part_for(const std::string& source) {
  const std::string url = is_remote_url(source) ? source : data_url_for(source, kMaxInlineImageBytes, "image");
  return {{"type", "image_url"}, {"image_url", {{"url", url}}}};
}

} // namespace claw_host
