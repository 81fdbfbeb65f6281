// `claw-host chat`: one chat turn through the plugin, streamed to the
// terminal as tokens arrive.
#include "abi_call.hpp"
#include "call_context.hpp"
#include "cancellation.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "media_input.hpp"
#include "portal_auth.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
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

struct Collected {
  std::string text;
  std::string reasoning;
  std::map<std::uint32_t, json::object> tool_calls;
  std::optional<oc_event_usage> usage;
  std::string finish_reason;
  std::string response_id;
  std::string request_id;
  bool print = true;
  bool reasoning_open = false;
};

std::string_view view(oc_str text) { return text.ptr == nullptr ? std::string_view() : std::string_view(text.ptr, text.len); }

int32_t OC_ABI on_event(void* user_data, const oc_event_header* header) {
  auto& out = *static_cast<Collected*>(user_data);
  switch (header->type) {
  case OC_EVENT_TEXT_DELTA: {
    const auto text = view(reinterpret_cast<const oc_event_text*>(header)->text);
    out.text += text;
    if (out.print) {
      if (out.reasoning_open) {
        std::cerr << '\n';
        out.reasoning_open = false;
      }
      std::cout << text << std::flush;
    }
    break;
  }
  case OC_EVENT_REASONING_DELTA: {
    const auto text = view(reinterpret_cast<const oc_event_text*>(header)->text);
    out.reasoning += text;
    if (out.print) {
      std::cerr << styled(stderr, std::string(text), kDim) << std::flush;
      out.reasoning_open = true;
    }
    break;
  }
  case OC_EVENT_TOOL_CALL_DELTA: {
    const auto* call = reinterpret_cast<const oc_event_tool_call_delta*>(header);
    auto& entry = out.tool_calls[call->index];
    if (call->id.len > 0) entry["id"] = view(call->id);
    if (call->name.len > 0) entry["name"] = view(call->name);
    auto& arguments = entry["arguments"];
    if (!arguments.is_string()) arguments = "";
    arguments.as_string().append(view(call->arguments_delta));
    break;
  }
  case OC_EVENT_USAGE:
    out.usage = *reinterpret_cast<const oc_event_usage*>(header);
    break;
  case OC_EVENT_DONE: {
    const auto* done = reinterpret_cast<const oc_event_done*>(header);
    out.finish_reason = view(done->finish_reason);
    out.response_id = view(done->response_id);
    out.request_id = view(done->request_id);
    break;
  }
  case OC_EVENT_RETRY: {
    const auto* retry = reinterpret_cast<const oc_event_retry*>(header);
    if (out.print) {
      std::cerr << styled(stderr, "retrying in " + std::to_string(retry->delay_ms) + " ms (attempt " +
                                      std::to_string(retry->attempt + 1) + ")",
                          kDim)
                << '\n';
    }
    break;
  }
  default:
    break; // unknown event kinds are skipped (ABI policy)
  }
  return 0;
}

std::string read_prompt(const CliArgs& cli) {
  const auto& positionals = cli.positionals();
  if (positionals.size() > 1) {
    throw CliError(kExitUsage, "Give the prompt as one argument (quote it).", "Run `claw-host chat --help`.");
  }
  if (positionals.size() == 1 && positionals[0] != "-") return positionals[0];
  if (positionals.empty() && is_tty(stdin)) {
    throw CliError(kExitUsage, "No prompt given.", "Run `claw-host chat \"your question\"`, or pipe it in.");
  }
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

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
  const auto prompt = read_prompt(cli);
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

  Collected collected;
  collected.print = !cli.flag("json");
  const auto request_text = json::serialize(request);
  AbiCall first_call;
  AbiCall* call = &first_call;
  oc_status status =
      chat->complete(context.provider(), context.get(), to_oc(request_text), on_event, &collected, call->error());
  // A refused Portal token is refreshed (single-flight) and the turn sent once more.
  AbiCall retry_call;
  if (status == OC_ERR_AUTH && portal && portal->refresh_after_rejection(target)) {
    const CallContextHolder refreshed(target, interrupt.token(), timeout_ms);
    call = &retry_call;
    status = chat->complete(refreshed.provider(), refreshed.get(), to_oc(request_text), on_event, &collected,
                            call->error());
  }
  if (collected.print && (!collected.text.empty() || collected.reasoning_open)) std::cout << '\n';
  if (status != OC_OK) {
    auto failure = call->failure(status, context.registered());
    std::string hint = failure.hint;
    if (!failure.request_id.empty()) hint += (hint.empty() ? "" : " ") + std::string("(request id ") + failure.request_id + ")";
    if (failure.retry_after_ms > 0) hint += " Retry after " + std::to_string(failure.retry_after_ms / 1000) + " s.";
    if (status == OC_ERR_CANCELLED && interrupt.interrupted()) failure.message = "Interrupted.";
    throw CliError(exit_code_for(status), failure.message, hint);
  }

  if (cli.flag("json")) {
    json::array calls;
    for (auto& [index, call_entry] : collected.tool_calls) calls.push_back(call_entry);
    json::object out{{"model", model},
                     {"text", collected.text},
                     {"reasoning", collected.reasoning},
                     {"toolCalls", std::move(calls)},
                     {"finishReason", collected.finish_reason},
                     {"responseId", collected.response_id},
                     {"requestId", collected.request_id}};
    if (collected.usage) {
      out["usage"] = {{"promptTokens", collected.usage->prompt_tokens},
                      {"completionTokens", collected.usage->completion_tokens},
                      {"totalTokens", collected.usage->total_tokens},
                      {"cachedTokens", collected.usage->cached_tokens}};
    }
    std::cout << json::serialize(out) << '\n';
    return kExitOk;
  }
  for (const auto& [index, call_entry] : collected.tool_calls) {
    std::cout << "[tool call] " << json::value_to<std::string>(call_entry.at("name")) << "("
              << json::value_to<std::string>(call_entry.at("arguments")) << ")\n";
  }
  if (collected.usage) {
    std::cerr << styled(stderr,
                        "usage: " + std::to_string(collected.usage->prompt_tokens) + " prompt + " +
                            std::to_string(collected.usage->completion_tokens) + " completion = " +
                            std::to_string(collected.usage->total_tokens) + " tokens" +
                            (collected.usage->cached_tokens ? " (" + std::to_string(collected.usage->cached_tokens) + " cached)" : ""),
                        kDim)
              << '\n';
  }
  return kExitOk;
}

} // namespace claw_host
