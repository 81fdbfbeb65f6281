#include "claw_host/state_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <string>

#include "posix_io.hpp"

namespace claw_host {

namespace {

std::optional<std::string> non_empty(const EnvLookup& env, std::string_view name) {
  if (!env) return std::nullopt;
  auto value = env(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

Result<std::filesystem::path> expand_user_path(const std::string& raw, const EnvLookup& env, std::string_view what) {
  std::string text = raw;
  if (text == "~" || text.rfind("~/", 0) == 0) {
    auto home = non_empty(env, "HOME");
    if (!home) {
      return make_error(ErrorCode::invalid_argument, std::string(what) +
                                                         " starts with ~ but HOME is not set; "
                                                         "use an absolute path instead");
    }
    text = *home + text.substr(1);
  }
  std::error_code ec;
  auto absolute = std::filesystem::absolute(std::filesystem::path(text), ec);
  if (ec) {
    return make_error(ErrorCode::invalid_argument, "cannot make " + std::string(what) + " (" + text +
                                                       ") absolute: " + ec.message() + "; use an absolute path");
  }
  return absolute.lexically_normal();
}

}  // namespace

Result<StatePaths> resolve_state_paths(const StateDirOptions& options) {
  StatePaths paths;
  if (auto dir = non_empty(options.env, "OPENCLAW_STATE_DIR")) {
    auto expanded = expand_user_path(*dir, options.env, "OPENCLAW_STATE_DIR");
    if (!expanded) return expanded.error();
    paths.state_dir = std::move(*expanded);
  } else if (auto home = non_empty(options.env, "HOME")) {
    auto expanded = expand_user_path(*home, options.env, "HOME");
    if (!expanded) return expanded.error();
    paths.state_dir = *expanded / ".openclaw";
  } else {
    return make_error(ErrorCode::not_found,
                      "cannot find the state directory: neither OPENCLAW_STATE_DIR nor HOME is set; "
                      "set OPENCLAW_STATE_DIR to a directory the host may write (for example /var/lib/openclaw)");
  }
  // Keep a trailing "/" in the variable from turning into an empty last component.
  if (paths.state_dir.filename().empty()) paths.state_dir = paths.state_dir.parent_path();

  if (options.plugin_dir_flag && !options.plugin_dir_flag->empty()) {
    auto expanded = expand_user_path(options.plugin_dir_flag->string(), options.env, "--plugin-dir");
    if (!expanded) return expanded.error();
    paths.plugin_dir = std::move(*expanded);
  } else if (auto dir = non_empty(options.env, "OPENCLAW_PLUGIN_DIR")) {
    auto expanded = expand_user_path(*dir, options.env, "OPENCLAW_PLUGIN_DIR");
    if (!expanded) return expanded.error();
    paths.plugin_dir = std::move(*expanded);
  } else {
    paths.plugin_dir = paths.state_dir / "plugins";
  }
  paths.config_file = paths.state_dir / "openclaw.json";
  paths.credentials_file = paths.state_dir / "credentials.json";
  paths.dotenv_file = paths.state_dir / ".env";
  paths.jobs_dir = paths.state_dir / "jobs";
  return paths;
}

Result<void> ensure_directory(const std::filesystem::path& dir, mode_t mode) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return make_error(ErrorCode::io_error, dir.string() +
                                               " exists but is not a directory; move it away so the host "
                                               "can create its directory there");
  }
  if (errno != ENOENT) return detail::io_error("inspect", dir, errno);
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    if (auto parent = ensure_directory(dir.parent_path(), mode); !parent) return parent;
  }
  if (::mkdir(dir.c_str(), mode) != 0) {
    if (errno == EEXIST) return {};  // another process won the race; its directory is as good as ours
    return detail::io_error("create the directory", dir, errno);
  }
  // mkdir() applies the umask; set exactly the bits asked for.
  if (::chmod(dir.c_str(), mode) != 0) return detail::io_error("set the permissions of", dir, errno);
  return {};
}

}  // namespace claw_host
