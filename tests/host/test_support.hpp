// Shared helpers for the claw_host_core tests: scratch directories and small
// file utilities, so each test reads as the behaviour it checks.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "claw_host/environment.hpp"

namespace claw_host::test {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text, mode_t mode = 0644);
mode_t file_mode(const std::filesystem::path& file);
// Names in a directory, sorted (dot files included).
std::vector<std::string> list_dir(const std::filesystem::path& dir);

// An EnvLookup over a fixed table instead of the process environment.
EnvLookup env_table(std::map<std::string, std::string> table);

}  // namespace claw_host::test
