// A model's answer as the CLI receives it through plugin events: printed as
// it streams (text to stdout, reasoning dimmed to stderr), collected for
// --json, and turned into a CliError when the call fails. Shared by `chat`
// and `understand`.
#pragma once

#include "abi_call.hpp"
#include "cli_args.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace claw_host {

struct StreamedAnswer {
  std::string text;
  std::string reasoning;
  std::map<std::uint32_t, boost::json::object> tool_calls; // index -> {id, name, arguments}
  std::optional<oc_event_usage> usage;
  std::string finish_reason;
  std::string response_id;
  std::string request_id;
  bool print = true; // false with --json: nothing is printed until the end
  bool reasoning_open = false;

  // The oc_event_fn to pass with `this` as user data.
  static int32_t OC_ABI on_event(void* user_data, const oc_event_header* header);

  // Ends the streamed line on stdout, if anything was printed.
  void end_stream() const;
  // text, reasoning, toolCalls, finishReason, responseId, requestId, usage.
  boost::json::object to_json() const;
  // After a streamed answer: tool calls on stdout, usage on stderr.
  void print_summary() const;
};

// Throws the CliError for a failed call: the plugin's message, its hint, the
// upstream request id and any retry-after; "Interrupted." after Ctrl-C.
[[noreturn]] void throw_call_failure(const AbiCall& call, oc_status status, const RegisteredProvider& provider,
                                     bool interrupted);

// The text argument of `chat`/`understand`: one positional, "-" or a pipe
// for standard input.
std::string read_text_argument(const CliArgs& cli, const std::string& command, const std::string& example);

} // namespace claw_host
