// Video generation jobs are paid for the moment they are submitted, so the
// task id is written to <state dir>/jobs/<task id>.json as soon as it is known,
// atomically (mode 0600: result URLs are signed download links), and every
// later step (progress, result URLs, download path, error) updates that file.
// An interrupted host resumes from it; nothing short of deleting the file
// loses a job.
//
// Task ids become file names, so they are validated first: only
// [A-Za-z0-9_-], at most 128 characters. "../x", "a/b", "" and the like are
// refused before any path is built.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "claw_host/result.hpp"

namespace claw_host {

struct VideoJobRecord {
  std::string task_id;
  std::string provider;  // e.g. "qwen"
  std::string model;     // e.g. "wan2.6-t2v"
  std::string prompt;
  std::string endpoint;            // the AIGC origin the job was submitted to, e.g. https://dashscope-intl.aliyuncs.com
  std::int64_t created_at_ms = 0;  // unix ms; put() fills in "now" when 0
  std::string status = "submitted";  // "submitted", then the upstream status (PENDING, RUNNING, SUCCEEDED, ...)
  std::vector<std::string> result_urls;
  std::string output_path;  // where the video was downloaded, once it was
  std::string last_error;
  std::int64_t updated_at_ms = 0;  // unix ms; set by put() and update()
  // Fields written by a newer host or the plugin; kept as they are on update.
  boost::json::object extra;
};

struct JobListing {
  std::vector<VideoJobRecord> jobs;  // oldest first (createdAt, then task id)
  // One line per file that could not be read, naming the file, the problem
  // and what to do; those files are skipped, never fatal.
  std::vector<std::string> problems;
};

// ErrorCode::invalid_argument unless `task_id` is 1-128 characters of [A-Za-z0-9_-].
Result<void> validate_task_id(std::string_view task_id);

class JobStore {
 public:
  explicit JobStore(std::filesystem::path jobs_dir, std::chrono::milliseconds lock_timeout = std::chrono::seconds(10));

  const std::filesystem::path& dir() const noexcept { return dir_; }
  // <jobs dir>/<task id>.json, after validating the id.
  Result<std::filesystem::path> file_for(std::string_view task_id) const;

  // Creates or replaces the record (creating the jobs directory, mode 0700).
  Result<void> put(VideoJobRecord record);
  // ErrorCode::not_found if there is no such job.
  Result<VideoJobRecord> get(std::string_view task_id) const;
  // A missing jobs directory is an empty listing.
  Result<JobListing> list() const;
  // Read-modify-write under a lock; the task id cannot be changed. Returns the stored record.
  Result<VideoJobRecord> update(std::string_view task_id, const std::function<void(VideoJobRecord&)>& change);

 private:
  Result<void> write_locked(VideoJobRecord& record, const std::filesystem::path& file);

  std::filesystem::path dir_;
  std::chrono::milliseconds lock_timeout_;
};

boost::json::object job_to_json(const VideoJobRecord& record);
// `source_name` (usually the file path) prefixes error messages.
Result<VideoJobRecord> job_from_json(const boost::json::value& json, std::string_view source_name);

}  // namespace claw_host
