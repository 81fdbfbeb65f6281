// `claw-host login qwen-oauth`: the Qwen Portal device-authorization login
// (with PKCE) as Qwen's own CLI does it. Shows a link and a code, waits while
// the user approves in a browser, then stores the token pair as an OAuth
// credential (qwen-oauth:default, mode 0600, atomic).
#include "cancellation.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "portal_auth.hpp"
#include "terminal.hpp"

#include "claw_host/credential_store.hpp"
#include "claw_host/redact.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <charconv>
#include <cstdlib>
#include <iostream>

extern char** environ;

namespace claw_host {

namespace json = boost::json;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host login qwen-oauth [--no-browser] [--json]

Signs in to the Qwen Portal the way Qwen's own CLI does (OAuth 2.0 device
authorization with PKCE): shows a link and a code, waits while you approve
in the browser, then stores the access token, refresh token, expiry and API
base as qwen-oauth:default in <state dir>/credentials.json (mode 0600).
Tokens are never printed. `claw-host chat --model qwen-oauth/<model>` then
refreshes the token by itself before it expires.

Options:
  --no-browser   only print the link (by default a browser is also opened
                 with xdg-open when a display is available)
  --json         print a JSON summary on success (without any token)
  --help         show this help

The login service is https://chat.qwen.ai; models.providers["qwen-oauth"]
.oauthBaseUrl in the config points it elsewhere (eg the local emulator).
OPENCLAW_OAUTH_MIN_POLL_MS sets the shortest wait between polls in
milliseconds (default 1000; the server's interval and slow_down can only
make it longer).
)";

std::chrono::milliseconds min_poll_interval(HostSession& session) {
  const auto text = session.env().get("OPENCLAW_OAUTH_MIN_POLL_MS");
  if (!text) return std::chrono::milliseconds(1000);
  long value = -1;
  const auto* end = text->data() + text->size();
  const auto parsed = std::from_chars(text->data(), end, value);
  if (parsed.ec != std::errc() || parsed.ptr != end || value < 0 || value > 60'000) {
    throw CliError(kExitUsage,
                   "OPENCLAW_OAUTH_MIN_POLL_MS must be a whole number of milliseconds from 0 to 60000.",
                   "Unset it to use the default (1000).");
  }
  return std::chrono::milliseconds(value);
}

// Best effort: a missing xdg-open or display only means the user opens the link.
std::optional<pid_t> open_browser(HostSession& session, const std::string& url) {
  if (!session.env().get("DISPLAY") && !session.env().get("WAYLAND_DISPLAY")) return std::nullopt;
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return std::nullopt;
  for (int fd : {0, 1, 2}) {
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  }
  std::string program = "xdg-open";
  std::string argument = url;
  char* argv[] = {program.data(), argument.data(), nullptr};
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return std::nullopt;
  return pid;
}

}  // namespace

int run_login(HostSession& session, const Args& args) {
  CliArgs cli(args, {{"no-browser", false}, {"json", false}, {"help", false}}, "login");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  const auto& positionals = cli.positionals();
  if (positionals.empty()) {
    throw CliError(kExitUsage, "Say which provider to log in to.", "Run `claw-host login qwen-oauth`.");
  }
  if (positionals.size() > 1) {
    throw CliError(kExitUsage, "Unexpected argument '" + positionals[1] + "'.",
                   "Run `claw-host login --help`.");
  }
  if (positionals[0] != kPortalProviderId) {
    throw CliError(kExitUsage,
                   "Login is only for the Qwen Portal (qwen-oauth), not '" + positionals[0] + "'.",
                   "API keys are set up with `claw-host onboard --auth-choice ID`; for the Portal run "
                   "`claw-host login qwen-oauth`.");
  }
  const bool json_output = cli.flag("json");
  const auto floor = min_poll_interval(session);

  InterruptToken interrupt;
  const auto client = portal_login_client(session, interrupt.token());
  std::optional<pid_t> browser;
  DeviceLoginOptions options;
  options.min_poll_interval = floor;
  options.cancelled = [&] { return interrupt.interrupted(); };
  options.on_prompt = [&](const DeviceLoginPrompt& prompt) {
    std::cerr << "Sign in to the Qwen Portal:\n"
              << "  1. open  " << styled(stderr, prompt.verification_uri_complete, kBold) << '\n'
              << "  2. check that the page shows the code  " << styled(stderr, prompt.user_code, kBold)
              << "  and approve it\n"
              << "Waiting for approval (the code expires in " << (prompt.expires_in_seconds + 59) / 60
              << " min; Ctrl-C cancels)...\n";
    if (!cli.flag("no-browser")) browser = open_browser(session, prompt.verification_uri_complete);
  };
  options.on_waiting = [&](std::string_view status, std::chrono::milliseconds next_wait) {
    if (status == "slow_down") {
      std::cerr << styled(stderr,
                          "The Portal asked to poll more slowly; next check in " +
                              std::to_string(next_wait.count()) + " ms.",
                          kDim)
                << '\n';
    } else if (status == "retrying") {
      std::cerr << styled(stderr, "The Portal did not answer; trying again.", kDim) << '\n';
    }
  };

  auto login = run_device_login(client, options);
  if (browser) ::waitpid(*browser, nullptr, WNOHANG);
  if (!login) throw_portal_error(login.error());

  CredentialStore store(session.paths().credentials_file);
  if (auto saved = store.put(kPortalProfileId, Credential(*login)); !saved) {
    throw CliError(kExitConfig, "Logged in, but the token could not be stored: " + saved.error().message,
                   "Fix the problem, then run `claw-host login qwen-oauth` again.");
  }
  const auto notices = store.take_notices();
  const auto& credential = *login;
  const auto now = unix_now_ms();

  if (json_output) {
    json::object out{{"provider", kPortalProviderId},
                     {"profile", kPortalProfileId},
                     {"credentialsFile", store.file().string()},
                     {"token", redact(credential.access)},
                     {"refreshToken", !credential.refresh.empty()},
                     {"resourceUrl", credential.resource_url}};
    out["expiresAt"] =
        credential.expires_at_ms ? json::value(*credential.expires_at_ms) : json::value(nullptr);
    json::array notes;
    for (const auto& notice : notices) notes.emplace_back(notice);
    out["notes"] = std::move(notes);
    std::cout << json::serialize(out) << '\n';
    return kExitOk;
  }
  std::cout << "Logged in to the Qwen Portal.\n"
            << "  token     " << redact(credential.access)
            << (credential.expires_at_ms ? ", expires " + describe_expiry(*credential.expires_at_ms, now)
                                         : "")
            << (credential.refresh.empty() ? ", no refresh token" : ", renewed automatically") << '\n'
            << "  endpoint  "
            << (credential.resource_url.empty() ? "(the Portal default)" : credential.resource_url) << '\n'
            << "  stored    " << kPortalProfileId << " in " << store.file().string() << " (mode 0600)\n"
            << "Try: claw-host chat --model qwen-oauth/qwen3.5-plus \"hello\"\n";
  for (const auto& notice : notices) std::cout << "note: " << notice << '\n';
  return kExitOk;
}

}  // namespace claw_host
