#include "test_support.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace openclaw_test {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "openclaw-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path built_plugin_library() { return OPENCLAW_TEST_PLUGIN_LIBRARY; }
fs::path built_plugin_manifest() { return OPENCLAW_TEST_PLUGIN_MANIFEST; }
fs::path claw_host_binary() { return OPENCLAW_TEST_CLAW_HOST; }
fs::path fixture_library(const std::string& name) { return fs::path(OPENCLAW_TEST_FIXTURE_DIR) / name; }

void install_plugin(const fs::path& plugin_dir) {
  const auto target = plugin_dir / "qwen";
  fs::create_directories(target);
  fs::copy_file(built_plugin_library(), target / built_plugin_library().filename(),
                fs::copy_options::overwrite_existing);
  fs::copy_file(built_plugin_manifest(), target / "openclaw.plugin.json",
                fs::copy_options::overwrite_existing);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env, const std::string& input,
                          int timeout_s) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
  if (env.count("PATH") == 0) env_strings.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& arg : args) argp.push_back(arg.data());
  argp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // Small inputs only: written before reading, so no deadlock is possible.
  if (!input.empty()) {
    [[maybe_unused]] auto written = ::write(in_pipe[1], input.data(), input.size());
  }
  ::close(in_pipe[1]);

  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int open_streams = 2;
  char buffer[65536];
  while (open_streams > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      const auto n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  int status = 0;
  if (open_streams > 0) ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

ProcessResult run_claw_host(const fs::path& state_dir, const std::vector<std::string>& args,
                            std::map<std::string, std::string> env, const std::string& input) {
  std::vector<std::string> argv{claw_host_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  env["OPENCLAW_STATE_DIR"] = state_dir.string();
  env.emplace("HOME", state_dir.string());
  // Sanitizer builds: keep their reports on stderr and the exit code honest.
  if (const char* asan = std::getenv("ASAN_OPTIONS")) env.emplace("ASAN_OPTIONS", asan);
  if (const char* ubsan = std::getenv("UBSAN_OPTIONS")) env.emplace("UBSAN_OPTIONS", ubsan);
  return run_process(argv, env, input);
}

} // namespace openclaw_test
