#include "claw_host/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <random>
#include <string>
#include <system_error>

#include "posix_io.hpp"

namespace claw_host {

namespace {

std::string temp_prefix_for(const std::filesystem::path& target) {
  // Hidden and recognisable: directory listings (job list, plugin scan) skip
  // dot files, and remove_stale_temp_files() can find leftovers by name.
  return "." + target.filename().string() + ".tmp-";
}

std::filesystem::path resolve_target(const std::filesystem::path& target) {
  std::error_code ec;
  if (std::filesystem::is_symlink(target, ec)) {
    auto resolved = std::filesystem::canonical(target, ec);
    if (!ec) return resolved;  // a dangling link is simply replaced by a file
  }
  return target;
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(rng() % 1000000000ULL);
}

}  // namespace

Result<AtomicFileWriter> AtomicFileWriter::create(const std::filesystem::path& target, AtomicWriteOptions options) {
  if (target.filename().empty()) {
    return make_error(ErrorCode::invalid_argument, "cannot write '" + target.string() +
                                                       "': the path names a directory, not a file; pass a file path");
  }
  AtomicFileWriter writer;
  writer.target_ = resolve_target(target);
  writer.options_ = std::move(options);
  const auto dir = writer.target_.has_parent_path() ? writer.target_.parent_path() : std::filesystem::path(".");

  for (int attempt = 0; attempt < 16; ++attempt) {
    auto candidate = dir / (temp_prefix_for(writer.target_) + unique_suffix());
    // The mode is applied at creation, so the secret-bearing content is never
    // readable by others, not even for an instant.
    const int fd =
        ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, writer.options_.mode & 0777);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return detail::io_error("create a temporary file next to", writer.target_, errno);
    }
    writer.fd_ = fd;
    writer.temp_path_ = std::move(candidate);
    // The umask may have narrowed the mode; callers asked for exact bits.
    if (::fchmod(fd, writer.options_.mode & 07777) != 0) {
      const int err = errno;
      writer.abort();
      return detail::io_error("set the permissions of", writer.temp_path_, err);
    }
    return writer;
  }
  return make_error(ErrorCode::io_error, "could not create a unique temporary file next to " + writer.target_.string() +
                                             "; remove stale " + temp_prefix_for(writer.target_) + "* files there");
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::move(other.temp_path_)),
      options_(std::move(other.options_)),
      fd_(other.fd_),
      bytes_written_(other.bytes_written_),
      failed_(other.failed_),
      finished_(other.finished_) {
  other.fd_ = -1;
  other.finished_ = true;  // the moved-from writer must not delete our temp file
}

AtomicFileWriter& AtomicFileWriter::operator=(AtomicFileWriter&& other) noexcept {
  if (this != &other) {
    abort();
    target_ = std::move(other.target_);
    temp_path_ = std::move(other.temp_path_);
    options_ = std::move(other.options_);
    fd_ = other.fd_;
    bytes_written_ = other.bytes_written_;
    failed_ = other.failed_;
    finished_ = other.finished_;
    other.fd_ = -1;
    other.finished_ = true;
  }
  return *this;
}

AtomicFileWriter::~AtomicFileWriter() { abort(); }

void AtomicFileWriter::abort() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!finished_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
  finished_ = true;
}

Result<void> AtomicFileWriter::write(std::string_view chunk) {
  if (finished_ || failed_) {
    return make_error(ErrorCode::invalid_argument, "write to " + target_.string() +
                                                       " after the write was committed, aborted or failed; "
                                                       "start a new AtomicFileWriter");
  }
  auto written = detail::write_all(fd_, chunk, temp_path_);
  if (!written) {
    failed_ = true;
    abort();
    return written.error();
  }
  bytes_written_ += chunk.size();
  return {};
}

Result<void> AtomicFileWriter::commit() {
  if (finished_ || failed_) {
    return make_error(ErrorCode::invalid_argument, "commit of " + target_.string() +
                                                       " after the write was committed, aborted or failed; "
                                                       "start a new AtomicFileWriter");
  }
  if (::fsync(fd_) != 0) {
    const int err = errno;
    abort();
    return detail::io_error("sync", temp_path_, err);
  }
  const int close_err = ::close(fd_) == 0 ? 0 : errno;
  fd_ = -1;
  if (close_err != 0) {
    abort();
    return detail::io_error("close", temp_path_, close_err);
  }
  if (options_.before_rename) options_.before_rename();
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    abort();
    return detail::io_error("replace", target_, err);
  }
  finished_ = true;
  const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  auto synced = detail::fsync_directory(dir);
  if (!synced) {
    return make_error(synced.error().code, "saved " + target_.string() +
                                               " but could not make the rename durable, so a power cut may undo it (" +
                                               synced.error().message + ")");
  }
  return {};
}

Result<void> write_file_atomically(const std::filesystem::path& target, std::string_view contents,
                                   AtomicWriteOptions options) {
  auto writer = AtomicFileWriter::create(target, std::move(options));
  if (!writer) return writer.error();
  if (auto written = writer->write(contents); !written) return written.error();
  return writer->commit();
}

std::size_t remove_stale_temp_files(const std::filesystem::path& target) noexcept {
  try {
    const auto resolved = resolve_target(target);
    const auto prefix = temp_prefix_for(resolved);
    const auto dir = resolved.has_parent_path() ? resolved.parent_path() : std::filesystem::path(".");
    std::size_t removed = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const auto name = it->path().filename().string();
      if (name.rfind(prefix, 0) == 0 && ::unlink(it->path().c_str()) == 0) ++removed;
    }
    return removed;
  } catch (...) {
    return 0;  // best effort: a leftover temp file is harmless
  }
}

}  // namespace claw_host
