// Replacing a file so that readers (and a crash or power cut) only ever see
// the complete old content or the complete new content, never a mix.
//
// Recipe: create a temp file in the target's directory (O_CREAT|O_EXCL, final
// mode set at creation so it is never more readable than asked), write, fsync
// the file, rename() over the target, fsync the directory. Until rename() the
// target is untouched; any failure removes the temp file again.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "claw_host/result.hpp"

namespace claw_host {

struct AtomicWriteOptions {
  // Exact permission bits of the new file (not filtered by the umask: the
  // caller asked for them explicitly). 0600 suits anything that may hold a secret.
  mode_t mode = 0600;
  // Test seam: runs after the temp file is written and synced, right before
  // rename(). Crash-safety tests _exit() from here. Leave empty in production.
  std::function<void()> before_rename;
};

// Streaming variant, for content too large to hold in memory (downloads).
// create() → write() as often as needed → commit(). Destroying the writer
// without commit() discards the temp file and leaves the target as it was.
class AtomicFileWriter {
 public:
  static Result<AtomicFileWriter> create(const std::filesystem::path& target, AtomicWriteOptions options = {});

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  // Appends a chunk. After a failed write the writer is unusable: commit()
  // refuses and the temp file is removed.
  Result<void> write(std::string_view chunk);
  // fsync, rename over the target, fsync the directory. At most once.
  Result<void> commit();
  // Discards the temp file now (the destructor does the same).
  void abort() noexcept;

  // The file that commit() replaces (symlinks at the target are followed, so
  // a config managed as a symlink into a dotfiles repo stays a symlink).
  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& temp_path() const noexcept { return temp_path_; }
  std::uint64_t bytes_written() const noexcept { return bytes_written_; }

 private:
  AtomicFileWriter() = default;

  std::filesystem::path target_;
  std::filesystem::path temp_path_;
  AtomicWriteOptions options_;
  int fd_ = -1;
  std::uint64_t bytes_written_ = 0;
  bool failed_ = false;
  bool finished_ = false;
};

// One-shot form of AtomicFileWriter.
Result<void> write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                                   AtomicWriteOptions options = {});

// Removes temp files a crashed writer left next to `target`. Only call it while
// holding the lock that every writer of `target` takes (see FileLock), or a
// live writer's temp file could vanish under it. Returns how many were removed.
std::size_t remove_stale_temp_files(const std::filesystem::path& target) noexcept;

}  // namespace claw_host
