#include "streamed_answer.hpp"

#include "cli_error.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>
#include <iterator>

namespace claw_host {

namespace json = boost::json;

namespace {
std::string_view view(oc_str text) {
  return text.ptr == nullptr ? std::string_view() : std::string_view(text.ptr, text.len);
}
} // namespace

int32_t OC_ABI StreamedAnswer::on_event(void* user_data, const oc_event_header* header) {
  auto& out = *static_cast<StreamedAnswer*>(user_data);
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
      std::cerr << styled(stderr,
                          "retrying in " + std::to_string(retry->delay_ms) + " ms (attempt " +
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

void StreamedAnswer::end_stream() const {
  if (print && (!text.empty() || reasoning_open)) std::cout << '\n';
}

json::object StreamedAnswer::to_json() const {
  json::array calls;
  for (const auto& [index, call] : tool_calls) calls.push_back(call);
  json::object out{{"text", text},
                   {"reasoning", reasoning},
                   {"toolCalls", std::move(calls)},
                   {"finishReason", finish_reason},
                   {"responseId", response_id},
                   {"requestId", request_id}};
  if (usage) {
    out["usage"] = {{"promptTokens", usage->prompt_tokens},
                    {"completionTokens", usage->completion_tokens},
                    {"totalTokens", usage->total_tokens},
                    {"cachedTokens", usage->cached_tokens}};
  }
  return out;
}

void StreamedAnswer::print_summary() const {
  for (const auto& [index, call] : tool_calls) {
    std::cout << "[tool call] " << json::value_to<std::string>(call.at("name")) << "("
              << json::value_to<std::string>(call.at("arguments")) << ")\n";
  }
  if (usage) {
    std::cerr << styled(stderr,
                        "usage: " + std::to_string(usage->prompt_tokens) + " prompt + " +
                            std::to_string(usage->completion_tokens) + " completion = " +
                            std::to_string(usage->total_tokens) + " tokens" +
                            (usage->cached_tokens ? " (" + std::to_string(usage->cached_tokens) + " cached)" : ""),
                        kDim)
              << '\n';
  }
}

void throw_call_failure(const AbiCall& call, oc_status status, const RegisteredProvider& provider, bool interrupted) {
  auto failure = call.failure(status, provider);
  std::string hint = failure.hint;
  if (!failure.request_id.empty()) {
    hint += (hint.empty() ? "" : " ") + std::string("(request id ") + failure.request_id + ")";
  }
  if (failure.retry_after_ms > 0) hint += " Retry after " + std::to_string(failure.retry_after_ms / 1000) + " s.";
  if (status == OC_ERR_CANCELLED && interrupted) failure.message = "Interrupted.";
  throw CliError(exit_code_for(status), failure.message, hint);
}

std::string read_text_argument(const CliArgs& cli, const std::string& command, const std::string& example) {
  const auto& positionals = cli.positionals();
  if (positionals.size() > 1) {
    throw CliError(kExitUsage, "Give the text as one argument (quote it).", "Run `claw-host " + command + " --help`.");
  }
  if (positionals.size() == 1 && positionals[0] != "-") return positionals[0];
  if (positionals.empty() && is_tty(stdin)) {
    throw CliError(kExitUsage, "No text given.", "Run `" + example + "`, or pipe the text in.");
  }
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

} // namespace claw_host
