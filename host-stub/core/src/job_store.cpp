#include "claw_host/job_store.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstdint>

#include "claw_host/atomic_file.hpp"
#include "claw_host/file_lock.hpp"
#include "claw_host/jsonc.hpp"
#include "claw_host/state_dir.hpp"
#include "json_util.hpp"
#include "posix_io.hpp"

namespace claw_host {

namespace {

constexpr std::size_t kMaxTaskIdLength = 128;
constexpr std::string_view kJobSuffix = ".json";

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Task ids in messages: printable, bounded, so a hostile id cannot garble a terminal.
std::string printable_id(std::string_view id) {
  std::string out;
  for (char c : id.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  if (id.size() > 64) out += "...";
  return out;
}

// Fields this host owns; anything else goes to VideoJobRecord::extra.
constexpr std::string_view kKnownFields[] = {"taskId", "provider",   "model",      "prompt",    "endpoint", "createdAt",
                                             "status", "resultUrls", "outputPath", "lastError", "updatedAt"};

Error bad_job_field(std::string_view source, std::string_view key, std::string_view expected,
                    const boost::json::value& found) {
  return make_error(ErrorCode::invalid_data, std::string(source) + ": \"" + std::string(key) + "\" must be " +
                                                 std::string(expected) + ", found " +
                                                 std::string(detail::kind_name(found)) +
                                                 "; repair that field by hand, or delete the file if the job is no "
                                                 "longer needed");
}

Result<std::string> read_string(const boost::json::object& o, std::string_view key, std::string_view source) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  if (!v->is_string()) return bad_job_field(source, key, "a string", *v);
  return std::string(v->get_string());
}

Result<std::int64_t> read_millis(const boost::json::object& o, std::string_view key, std::string_view source) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::int64_t{0};
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 9e18) {
    return static_cast<std::int64_t>(v->get_double());
  }
  return bad_job_field(source, key, "a whole number of unix milliseconds", *v);
}

Error missing_job(std::string_view task_id, const std::filesystem::path& dir) {
  return make_error(ErrorCode::not_found, "no video job " + std::string(task_id) + " in " + dir.string() +
                                              "; check the task id (each job is a <taskId>.json file in that "
                                              "directory, or OPENCLAW_STATE_DIR points elsewhere)");
}

}  // namespace

Result<void> validate_task_id(std::string_view task_id) {
  bool ok = !task_id.empty() && task_id.size() <= kMaxTaskIdLength;
  for (char c : task_id) {
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  }
  if (!ok) {
    return make_error(ErrorCode::invalid_argument,
                      "invalid video task id \"" + printable_id(task_id) + "\": a task id is 1-" +
                          std::to_string(kMaxTaskIdLength) +
                          " characters of letters, digits, '-' and '_'; copy the id exactly as `claw-host video` "
                          "printed it");
  }
  return {};
}

boost::json::object job_to_json(const VideoJobRecord& record) {
  boost::json::object out;
  out["taskId"] = record.task_id;
  out["provider"] = record.provider;
  out["model"] = record.model;
  out["prompt"] = record.prompt;
  out["endpoint"] = record.endpoint;
  out["createdAt"] = record.created_at_ms;
  out["status"] = record.status;
  boost::json::array urls;
  for (const auto& url : record.result_urls) urls.emplace_back(url);
  out["resultUrls"] = std::move(urls);
  out["outputPath"] = record.output_path;
  out["lastError"] = record.last_error;
  out["updatedAt"] = record.updated_at_ms;
  for (const auto& [key, value] : record.extra) {
    if (!out.contains(key)) out[key] = value;
  }
  return out;
}

Result<VideoJobRecord> job_from_json(const boost::json::value& json, std::string_view source_name) {
  const auto* object = json.if_object();
  if (object == nullptr) {
    return make_error(ErrorCode::invalid_data,
                      std::string(source_name) + ": a job file must hold a JSON object, found " +
                          std::string(detail::kind_name(json)) + "; delete the file if the job is no longer needed");
  }
  VideoJobRecord record;
  struct StringField {
    std::string_view key;
    std::string* target;
  };
  for (auto [key, target] :
       {StringField{"taskId", &record.task_id}, StringField{"provider", &record.provider},
        StringField{"model", &record.model}, StringField{"prompt", &record.prompt},
        StringField{"endpoint", &record.endpoint}, StringField{"status", &record.status},
        StringField{"outputPath", &record.output_path}, StringField{"lastError", &record.last_error}}) {
    auto value = read_string(*object, key, source_name);
    if (!value) return value.error();
    *target = std::move(*value);
  }
  auto created = read_millis(*object, "createdAt", source_name);
  if (!created) return created.error();
  record.created_at_ms = *created;
  auto updated = read_millis(*object, "updatedAt", source_name);
  if (!updated) return updated.error();
  record.updated_at_ms = *updated;
  if (const auto* urls = object->if_contains("resultUrls"); urls != nullptr && !urls->is_null()) {
    if (!urls->is_array()) return bad_job_field(source_name, "resultUrls", "an array of strings", *urls);
    for (const auto& url : urls->get_array()) {
      if (!url.is_string()) return bad_job_field(source_name, "resultUrls", "an array of strings", url);
      record.result_urls.emplace_back(url.get_string());
    }
  }
  if (auto valid = validate_task_id(record.task_id); !valid) {
    return make_error(ErrorCode::invalid_data, std::string(source_name) + ": " + valid.error().message);
  }
  for (const auto& [key, value] : *object) {
    if (std::find(std::begin(kKnownFields), std::end(kKnownFields), std::string_view(key)) == std::end(kKnownFields)) {
      record.extra[key] = value;
    }
  }
  return record;
}

JobStore::JobStore(std::filesystem::path jobs_dir, std::chrono::milliseconds lock_timeout)
    : dir_(std::move(jobs_dir)), lock_timeout_(lock_timeout) {}

Result<std::filesystem::path> JobStore::file_for(std::string_view task_id) const {
  if (auto valid = validate_task_id(task_id); !valid) return valid.error();
  return dir_ / (std::string(task_id) + std::string(kJobSuffix));
}

Result<void> JobStore::write_locked(VideoJobRecord& record, const std::filesystem::path& file) {
  record.updated_at_ms = now_unix_ms();
  // A writer that died mid-way left a temp file; we hold the lock, so it is stale.
  remove_stale_temp_files(file);
  return write_file_atomically(file, to_pretty_json(boost::json::value(job_to_json(record))),
                               {.mode = 0600, .before_rename = {}});
}

Result<void> JobStore::put(VideoJobRecord record) {
  auto file = file_for(record.task_id);
  if (!file) return file.error();
  if (auto dir = ensure_directory(dir_); !dir) return dir.error();
  auto lock = FileLock::acquire(dir_ / ".lock", lock_timeout_);
  if (!lock) return lock.error();
  if (record.created_at_ms == 0) record.created_at_ms = now_unix_ms();
  return write_locked(record, *file);
}

Result<VideoJobRecord> JobStore::get(std::string_view task_id) const {
  auto file = file_for(task_id);
  if (!file) return file.error();
  auto text = detail::read_file_if_exists(*file);
  if (!text) return text.error();
  if (!*text) {
    return missing_job(task_id, dir_);
  }
  auto json = parse_jsonc(**text, file->string());
  if (!json) {
    return make_error(json.error().code, json.error().message + ", or delete the file if the job is no longer needed");
  }
  auto record = job_from_json(*json, file->string());
  if (!record) return record.error();
  if (record->task_id != task_id) {
    return make_error(ErrorCode::invalid_data, file->string() + " holds task " + printable_id(record->task_id) +
                                                   ", not " + std::string(task_id) +
                                                   "; rename the file to <taskId>.json or fix its \"taskId\"");
  }
  return record;
}

Result<JobListing> JobStore::list() const {
  JobListing listing;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return listing;
    return detail::io_error("list", dir_, ec.value());
  }
  for (const std::filesystem::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return detail::io_error("list", dir_, ec.value());
    const auto name = it->path().filename().string();
    // Dot files are the lock and temp files of writers.
    if (name.empty() || name.front() == '.' || name.size() <= kJobSuffix.size() ||
        name.compare(name.size() - kJobSuffix.size(), kJobSuffix.size(), kJobSuffix) != 0) {
      continue;
    }
    const auto id = name.substr(0, name.size() - kJobSuffix.size());
    if (!validate_task_id(id)) {
      listing.problems.push_back(it->path().string() + ": not a job file name (<taskId>.json); move it out of " +
                                 dir_.string());
      continue;
    }
    auto record = get(id);
    if (!record) {
      listing.problems.push_back(record.error().message);
      continue;
    }
    listing.jobs.push_back(std::move(*record));
  }
  std::sort(listing.jobs.begin(), listing.jobs.end(), [](const VideoJobRecord& a, const VideoJobRecord& b) {
    return a.created_at_ms != b.created_at_ms ? a.created_at_ms < b.created_at_ms : a.task_id < b.task_id;
  });
  return listing;
}

Result<VideoJobRecord> JobStore::update(std::string_view task_id, const std::function<void(VideoJobRecord&)>& change) {
  auto file = file_for(task_id);
  if (!file) return file.error();
  auto lock = FileLock::acquire(dir_ / ".lock", lock_timeout_);
  if (!lock) {
    if (lock.error().code == ErrorCode::not_found) {
      return missing_job(task_id, dir_);
    }
    return lock.error();
  }
  auto record = get(task_id);
  if (!record) return record.error();
  change(*record);
  if (record->task_id != task_id) {
    return make_error(ErrorCode::invalid_argument, "a job update tried to change the task id of " +
                                                       std::string(task_id) +
                                                       "; the id is the job's identity: store a new job instead");
  }
  if (auto saved = write_locked(*record, *file); !saved) return saved.error();
  return record;
}

}  // namespace claw_host
