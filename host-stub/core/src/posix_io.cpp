#include "posix_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace claw_host::detail {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() { close(); }

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

int UniqueFd::close() noexcept {
  if (fd_ < 0) return 0;
  // Linux releases the descriptor even when close() fails: never retry it.
  const int rc = ::close(fd_);
  fd_ = -1;
  return rc == 0 ? 0 : errno;
}

namespace {

std::string advice_for(int err, const std::filesystem::path& path) {
  const std::string dir = path.has_parent_path() ? path.parent_path().string() : std::string(".");
  switch (err) {
    case EACCES:
    case EPERM:
      return "check the owner and permissions of " + dir + " (ls -ld " + dir + ")";
    case ENOSPC:
    case EDQUOT:
      return "free some disk space (or quota) on the file system holding " + dir + " and retry";
    case EROFS:
      return dir + " is on a read-only file system; set OPENCLAW_STATE_DIR to a writable directory";
    case ENOENT:
      return "the directory " + dir + " does not exist; create it or set OPENCLAW_STATE_DIR";
    case ENOTDIR:
      return "a path component of " + path.string() + " is a file, not a directory; move it away";
    case EISDIR:
      return path.string() + " is a directory; move it away so a file can take its place";
    case EMFILE:
    case ENFILE:
      return "too many open files; close other programs or raise the limit (ulimit -n)";
    default:
      return "check that " + dir + " is writable and retry";
  }
}

}  // namespace

Error io_error(std::string_view action, const std::filesystem::path& path, int err) {
  std::string message = "could not ";
  message += action;
  message += ' ';
  message += path.string();
  message += ": ";
  message += std::system_category().message(err);
  message += "; ";
  message += advice_for(err, path);
  const ErrorCode code = (err == EACCES || err == EPERM) ? ErrorCode::permission
                         : err == ENOENT                 ? ErrorCode::not_found
                                                         : ErrorCode::io_error;
  return make_error(code, std::move(message));
}

Result<std::string> read_all(int fd, const std::filesystem::path& path_for_messages) {
  std::string out;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path_for_messages, errno);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

Result<std::optional<std::string>> read_file_if_exists(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return io_error("open", path, errno);
  }
  auto text = read_all(fd.get(), path);
  if (!text) return text.error();
  return std::optional<std::string>{std::move(*text)};
}

Result<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& path_for_messages) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path_for_messages, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<void> fsync_directory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return io_error("open directory", dir, errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL && errno != EROFS) {
    // EINVAL: the file system does not support syncing directories; nothing to do.
    return io_error("sync directory", dir, errno);
  }
  return {};
}

std::string mode_string(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

}  // namespace claw_host::detail
