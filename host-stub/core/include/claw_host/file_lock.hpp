// An exclusive advisory lock (flock) on a lock file, so that two claw-host
// processes doing read-modify-write on the same data file never lose each
// other's changes. The lock file is separate from the data file because the
// data file is replaced by rename() and a lock on the old inode protects nothing.
// The kernel drops the lock when the process dies, so a crash never leaves it stuck.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>

#include "claw_host/result.hpp"

namespace claw_host {

class FileLock {
 public:
  // Creates `lock_file` (mode 0600) if needed and waits up to `timeout` for the
  // lock. Fails with ErrorCode::timeout naming the file if it stays busy.
  static Result<FileLock> acquire(const std::filesystem::path& lock_file,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  void release() noexcept;

 private:
  explicit FileLock(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace claw_host
