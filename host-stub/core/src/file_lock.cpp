#include "claw_host/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "posix_io.hpp"

namespace claw_host {

Result<FileLock> FileLock::acquire(const std::filesystem::path& lock_file, std::chrono::milliseconds timeout) {
  detail::UniqueFd fd(::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return detail::io_error("open the lock file", lock_file, errno);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    // Non-blocking attempts plus a deadline: a plain blocking flock() would hang
    // forever behind a stuck process with no message at all.
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return FileLock(fd.release());
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return detail::io_error("lock", lock_file, errno);
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorCode::timeout,
                        "timed out after " + std::to_string(timeout.count()) + " ms waiting for " + lock_file.string() +
                            ", which another claw-host process holds; let it finish (or stop it) and retry");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);  // closing the last descriptor releases the flock
    fd_ = -1;
  }
}

}  // namespace claw_host
