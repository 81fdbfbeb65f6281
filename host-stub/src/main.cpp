// claw-host: a small, real OpenClaw host. Loads provider plugins from a
// plugin directory and drives them from the command line.
#include "cli_error.hpp"
#include "commands.hpp"
#include "terminal.hpp"

#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <map>

using namespace claw_host;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host [--plugin-dir DIR] <command> [options]

A small OpenClaw host: loads provider plugins from a plugin directory and
drives them.

Commands:
  plugins list      installed plugins, from their manifests (no code loaded)
  providers list    providers registered by the loaded plugins
  models list       models per provider, following your configured endpoint
  onboard           set a provider up: --auth-choice ID [--api-key KEY|-]
  login             sign in to the Qwen Portal (device login): login qwen-oauth
  auth status       stored credentials (redacted) and where each key comes from
  chat              one chat turn, streamed: --model REF "prompt"
  understand        describe images/video: [--image P|URL] [--video P|URL] "question"
  video             Wan video jobs: generate "prompt" | status ID | resume ID | list
  doctor            check the setup (config, plugins, keys, endpoints) offline

Global options:
  --plugin-dir DIR  plugin directory (default: $OPENCLAW_PLUGIN_DIR, else
                    <state dir>/plugins; state dir: $OPENCLAW_STATE_DIR, else
                    ~/.openclaw)
  --help            this help; `claw-host <command> --help` for a command
  --version         print the version

Exit codes: 0 ok, 1 failure, 2 usage, 3 config/state, 4 auth, 5 plugin,
6 network/TLS/timeout, 7 not available on this endpoint, 8 rate limited,
130 interrupted.
)";

using Command = std::function<int(HostSession&, const Args&)>;

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    std::optional<std::filesystem::path> plugin_dir;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--plugin-dir") {
        if (i + 1 >= args.size()) throw CliError(kExitUsage, "--plugin-dir needs a directory.");
        plugin_dir = args[++i];
      } else if (args[i].rfind("--plugin-dir=", 0) == 0) {
        plugin_dir = args[i].substr(std::string("--plugin-dir=").size());
      } else {
        rest.push_back(args[i]);
      }
    }
    if (rest.empty() || rest[0] == "--help" || rest[0] == "-h" || rest[0] == "help") {
      std::cout << kHelp;
      return rest.empty() ? kExitUsage : kExitOk;
    }
    if (rest[0] == "--version") {
      std::cout << "claw-host 0.1.0 (provider ABI " << OC_ABI_VERSION_MAJOR << "."
                << OC_ABI_VERSION_MINOR << "." << OC_ABI_VERSION_PATCH << ")\n";
      return kExitOk;
    }
    const std::map<std::string, Command> commands{
        {"plugins", run_plugins},
        {"providers", run_providers},
        {"models", run_models},
        {"onboard", run_onboard},
        {"login", run_login},
        {"auth", run_auth},
        {"chat", run_chat},
        {"doctor", run_doctor},
        {"understand", run_understand},
        {"video", run_video},
    };
    const auto command = commands.find(rest[0]);
    if (command == commands.end()) {
      throw CliError(kExitUsage, "Unknown command '" + rest[0] + "'.", "Run `claw-host --help`.");
    }
    HostSession session(plugin_dir);
    return command->second(session, Args(rest.begin() + 1, rest.end()));
  } catch (const CliError& e) {
    std::cerr << styled(stderr, "error:", kRed) << ' ' << e.what() << '\n';
    if (!e.hint().empty()) std::cerr << "  " << e.hint() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "error: unexpected failure: " << e.what()
              << "\n  Please report this with the command you ran.\n";
    return kExitFailure;
  }
}
