// Shared test helpers: temporary directories, installing the built plugin
// into a plugin directory, and running claw-host as a real subprocess.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace openclaw_test {

// A fresh directory removed (with its contents) at scope exit.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

// Paths of build products, baked in by CMake.
std::filesystem::path built_plugin_library();
std::filesystem::path built_plugin_manifest();
std::filesystem::path claw_host_binary();
std::filesystem::path fixture_library(const std::string& name); // tests/fixtures/<name>

// Copies the plugin and its manifest to <plugin_dir>/qwen/.
void install_plugin(const std::filesystem::path& plugin_dir);

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& content);

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program with exactly `env` as its environment (plus PATH), feeding
// `input` on stdin, and waits at most `timeout_s` seconds.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& input = {}, int timeout_s = 60);

// claw-host with OPENCLAW_STATE_DIR=<state_dir> and extra env.
ProcessResult run_claw_host(const std::filesystem::path& state_dir, const std::vector<std::string>& args,
                            std::map<std::string, std::string> env = {}, const std::string& input = {});

} // namespace openclaw_test
