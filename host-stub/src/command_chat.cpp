// `claw-host chat`: one chat turn through the plugin, streamed to the
// terminal as tokens arrive.
#include "abi_call.hpp"
#include "call_context.hpp"
#include "cancellation.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "streamed_answer.hpp"
#include "media_input.hpp"
#include "portal_auth.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <set>

namespace claw_host {

namespace json = boost::json;

namespace {
constexpr const char* kHelp = R"(Usage: claw-host chat [--model REF] [options] "prompt"

Sends one chat turn through the provider plugin and streams the answer to
standard output as it arrives. Reasoning ("thinking") goes to standard error,
dimmed on a terminal; token usage is printed at the end. The model, endpoint
and key come from your config exactly as onboarding wrote them.

Options:
  --model REF          eg qwen/qwen3.5-plus (default: agents.defaults.model.primary,
                       else qwen/qwen3.5-plus); modelstudio/<m> works too
  --thinking LEVEL     off|low|medium|high (reasoning models only; default on)
  --system TEXT        a system message
  --image PATH|URL     attach an image (repeatable); local files are sent inline
  --no-stream          wait for the whole answer instead of streaming
  --max-tokens N       cap the answer length
  --base-url URL       use this endpoint instead of the configured one
                       (eg the local emulator)
  --timeout SECONDS    idle read timeout (default 60)
  --json               print one JSON object with text, reasoning, tool calls,
                       usage, finish reason and request id
  --help               show this help

The prompt can also come from standard input ("-" or no prompt on a pipe).
)";

} // namespace

int run_chat(HostSession& session, const Args& args) {
  CliArgs cli(args,
              {{"model", true}, {"thinking", true}, {"system", true}, {"image", true, true}, {"no-stream", false},
               {"max-tokens", true}, {"base-url", true}, {"timeout", true}, {"json", false}, {"help", false}},
              "chat");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  const auto prompt = read_text_argument(cli, "chat", "claw-host chat \"your question\"");
  std::string model = cli.value("model").value_or(session.config().primary_model().value_or("qwen/qwen3.5-plus"));
  if (model.find('/') == std::string::npos) model = "qwen/" + model;
  const auto provider_id = model.substr(0, model.find('/'));
  if (const auto level = cli.value("thinking")) {
    static const std::set<std::string> levels{"off", "none", "minimal", "low", "medium", "high"};
    if (levels.count(*level) == 0) {
      throw CliError(kExitUsage, "Unknown thinking level '" + *level + "'.", "Use off, low, medium or high.");
    }
  }
  std::uint32_t timeout_ms = 0;
  if (const auto timeout = cli.value("timeout")) {
    try {
      timeout_ms = static_cast<std::uint32_t>(std::stod(*timeout) * 1000);
    } catch (const std::exception&) {
      throw CliError(kExitUsage, "--timeout takes seconds, eg 30.");
    }
  }

  json::array messages;
  if (const auto system = cli.value("system")) messages.push_back({{"role", "system"}, {"content", *system}});
  const auto images = cli.values("image");
  if (images.empty()) {
    messages.push_back({{"role", "user"}, {"content", prompt}});
  } else {
    json::array parts;
    for (const auto& image : images) parts.push_back(image_part_for(image));
    parts.push_back({{"type", "text"}, {"text", prompt}});
    messages.push_back({{"role", "user"}, {"content", std::move(parts)}});
  }
  json::object request{{"model", model}, {"messages", std::move(messages)}, {"stream", !cli.flag("no-stream")}};
  if (const auto level = cli.value("thinking")) request["thinking"] = *level;
  if (const auto max_tokens = cli.value("max-tokens")) {
    try {
      request["max_tokens"] = std::stoi(*max_tokens);
    } catch (const std::exception&) {
      throw CliError(kExitUsage, "--max-tokens takes a whole number.");
    }
  }

  InterruptToken interrupt;
  auto target = session.call_target(provider_id, cli.value("base-url"), true);
  // A stored Qwen Portal login is refreshed first when it is about to expire.
  auto portal = PortalTokenGuard::prepare(session, target, interrupt.token());
  CallContextHolder context(target, interrupt.token(), timeout_ms);
  const auto* chat = static_cast<const oc_chat_v1*>(
      context.provider()->get_capability(context.provider(), OC_CAPABILITY_CHAT));
  if (chat == nullptr || !OC_HAS_FIELD(chat, oc_chat_v1, complete) || chat->complete == nullptr) {
    throw CliError(kExitUnavailable, "Provider '" + provider_id + "' does not offer chat.");
  }

  StreamedAnswer collected;
  collected.print = !cli.flag("json");
  const auto request_text = json::serialize(request);
  AbiCall first_call;
  AbiCall* call = &first_call;
  oc_status status =
      chat->complete(context.provider(), context.get(), to_oc(request_text), StreamedAnswer::on_event, &collected, call->error());
  // A refused Portal token is refreshed (single-flight) and the turn sent once more.
  AbiCall retry_call;
  if (status == OC_ERR_AUTH && portal && portal->refresh_after_rejection(target)) {
    const CallContextHolder refreshed(target, interrupt.token(), timeout_ms);
    call = &retry_call;
    status = chat->complete(refreshed.provider(), refreshed.get(), to_oc(request_text), StreamedAnswer::on_event, &collected,
                            call->error());
  }
  collected.end_stream();
  if (status != OC_OK) throw_call_failure(*call, status, context.registered(), interrupt.interrupted());
  if (cli.flag("json")) {
    auto out = collected.to_json();
    out["model"] = model;
    std::cout << json::serialize(out) << '\n';
    return kExitOk;
  }
  collected.print_summary();
  return kExitOk;
}

} // namespace claw_host
