// Small POSIX helpers shared by the units that touch files. Private to the
// library: the public headers speak std::filesystem::path and Result<T>.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "claw_host/result.hpp"

namespace claw_host::detail {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  int release() noexcept;
  // Closes now and reports the errno of close() (0 on success): for files we
  // wrote, a failing close can be the first sign of lost data.
  int close() noexcept;

 private:
  int fd_ = -1;
};

// "could not <action> <path>: <system message>; <what to do>".
Error io_error(std::string_view action, const std::filesystem::path& path, int err);

// Reads a whole file. std::nullopt when it does not exist.
Result<std::optional<std::string>> read_file_if_exists(const std::filesystem::path& path);

// Reads everything left in an open descriptor.
Result<std::string> read_all(int fd, const std::filesystem::path& path_for_messages);

// Writes every byte, retrying short writes and EINTR.
Result<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& path_for_messages);

// Makes a completed rename durable: the directory entry lives in the directory.
Result<void> fsync_directory(const std::filesystem::path& dir);

// Human form of a permission mode for messages, e.g. "0644".
std::string mode_string(mode_t mode);

}  // namespace claw_host::detail
