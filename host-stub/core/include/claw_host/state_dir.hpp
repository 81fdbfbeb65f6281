// Where the host keeps its files. Everything hangs off one state directory so
// a user (or a test) can move all of it with a single variable:
//   state dir     $OPENCLAW_STATE_DIR, else $HOME/.openclaw
//   plugins       --plugin-dir flag, else $OPENCLAW_PLUGIN_DIR, else <state>/plugins
//   config        <state>/openclaw.json
//   credentials   <state>/credentials.json
//   .env          <state>/.env
//   video jobs    <state>/jobs/
// Only the real environment is consulted here: .env lives inside the state
// directory, so it cannot be what decides where the state directory is.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>

#include "claw_host/environment.hpp"
#include "claw_host/result.hpp"

namespace claw_host {

struct StatePaths {
  std::filesystem::path state_dir;
  std::filesystem::path plugin_dir;
  std::filesystem::path config_file;
  std::filesystem::path credentials_file;
  std::filesystem::path dotenv_file;
  std::filesystem::path jobs_dir;
};

struct StateDirOptions {
  // Value of the CLI's --plugin-dir flag, if given; it beats OPENCLAW_PLUGIN_DIR.
  std::optional<std::filesystem::path> plugin_dir_flag;
  // The real environment; tests pass a table.
  EnvLookup env = process_env;
};

// Paths only: nothing is created. A leading "~" is expanded with $HOME and
// relative paths are made absolute, so a later chdir() changes nothing.
Result<StatePaths> resolve_state_paths(const StateDirOptions& options = {});

// Creates `dir` and missing parents with `mode` (0700 by default: the state
// directory holds keys). An existing directory is left exactly as it is.
Result<void> ensure_directory(const std::filesystem::path& dir, mode_t mode = 0700);

}  // namespace claw_host
