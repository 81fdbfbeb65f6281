// `claw-host understand`: describe images and video through the provider's
// media understanding capability (qwen-vl-max-latest on Standard endpoints),
// streamed to the terminal.
#include "abi_call.hpp"
#include "call_context.hpp"
#include "cancellation.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "media_input.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>
#include <iterator>

namespace claw_host {

namespace json = boost::json;

namespace {

constexpr const char* kHelp = R"(Usage: claw-host understand [--image PATH|URL]... [--video PATH|URL]... [options] "question"

Asks the provider's vision model (qwen-vl-max-latest) about images and
videos and streams the answer to standard output. Needs a Standard
(pay-as-you-go) DashScope endpoint: on a Coding Plan or Qwen Portal endpoint
the command says so without sending anything.

Options:
  --image PATH|URL   an image (repeatable); a local file is sent inline as a
                     data URL (at most 10 MB once Base64-encoded)
  --video PATH|URL   a video (repeatable); local files as for images
  --provider ID      provider to ask (default qwen)
  --base-url URL     use this endpoint instead of the configured one
  --no-stream        wait for the whole answer instead of streaming
  --timeout SECONDS  idle read timeout (default 60)
  --json             print one JSON object: model, text, finish reason,
                     request id and usage
  --help             show this help

The question can also come from standard input ("-" or no question on a pipe).
)";

// Model Studio takes a local image or video inline as a Base64 data URL of at
// most 10 MB (the encoded string); anything larger has to be a URL.
constexpr std::size_t kMaxInlineVideoBytes = std::size_t{10} * 1024 * 1024;

struct Answer {
  std::string text;
  std::string finish_reason;
  std::string request_id;
  std::optional<oc_event_usage> usage;
  bool print = true;
};

std::string_view view(oc_str text) { return text.ptr == nullptr ? std::string_view() : std::string_view(text.ptr, text.len); }

int32_t OC_ABI on_event(void* user_data, const oc_event_header* header) {
  auto& answer = *static_cast<Answer*>(user_data);
  switch (header->type) {
  case OC_EVENT_TEXT_DELTA: {
    const auto text = view(reinterpret_cast<const oc_event_text*>(header)->text);
    answer.text += text;
    if (answer.print) std::cout << text << std::flush;
    break;
  }
  case OC_EVENT_USAGE:
    answer.usage = *reinterpret_cast<const oc_event_usage*>(header);
    break;
  case OC_EVENT_DONE: {
    const auto* done = reinterpret_cast<const oc_event_done*>(header);
    answer.finish_reason = view(done->finish_reason);
    answer.request_id = view(done->request_id);
    break;
  }
  case OC_EVENT_RETRY:
    if (answer.print) {
      const auto* retry = reinterpret_cast<const oc_event_retry*>(header);
      std::cerr << styled(stderr, "retrying in " + std::to_string(retry->delay_ms) + " ms", kDim) << '\n';
    }
    break;
  default:
    break; // reasoning and unknown kinds are skipped
  }
  return 0;
}

std::string read_question(const CliArgs& cli) {
  const auto& positionals = cli.positionals();
  if (positionals.size() > 1) {
    throw CliError(kExitUsage, "Give the question as one argument (quote it).", "Run `claw-host understand --help`.");
  }
  if (positionals.size() == 1 && positionals[0] != "-") return positionals[0];
  if (positionals.empty() && is_tty(stdin)) {
    throw CliError(kExitUsage, "No question given.",
                   "Run `claw-host understand --image photo.png \"What is in this picture?\"`.");
  }
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

json::object media_item(const std::string& source, std::size_t max_bytes, const std::string& what) {
  if (is_remote_url(source)) return {{"url", source}};
  return {{"url", data_url_for(source, max_bytes, what)}};
}

} // namespace

int run_understand(HostSession& session, const Args& args) {
  CliArgs cli(args,
              {{"image", true, true}, {"video", true, true}, {"provider", true}, {"base-url", true},
               {"no-stream", false}, {"timeout", true}, {"json", false}, {"help", false}},
              "understand");
  if (cli.flag("help")) {
    std::cout << kHelp;
    return kExitOk;
  }
  const auto images = cli.values("image");
  const auto videos = cli.values("video");
  if (images.empty() && videos.empty()) {
    throw CliError(kExitUsage, "Nothing to look at: give at least one --image or --video.",
                   "Run `claw-host understand --help`.");
  }
  const auto question = read_question(cli);
  std::uint32_t timeout_ms = 0;
  if (const auto timeout = cli.value("timeout")) {
    try {
      timeout_ms = static_cast<std::uint32_t>(std::stod(*timeout) * 1000);
    } catch (const std::exception&) {
      throw CliError(kExitUsage, "--timeout takes seconds, eg 30.");
    }
  }

  const std::string provider_id = cli.value("provider").value_or("qwen");
  InterruptToken interrupt;
  // The key is checked after availability: a Coding Plan endpoint gets the
  // more useful answer ("use a Standard endpoint") either way.
  auto target = session.call_target(provider_id, cli.value("base-url"), false);
  CallContextHolder context(target, interrupt.token(), timeout_ms);
  const auto* media = static_cast<const oc_media_understanding_v1*>(
      context.provider()->get_capability(context.provider(), OC_CAPABILITY_MEDIA_UNDERSTANDING));
  if (media == nullptr || !OC_HAS_FIELD(media, oc_media_understanding_v1, describe) || media->describe == nullptr) {
    throw CliError(kExitUnavailable, "Provider '" + provider_id + "' does not offer media understanding.",
                   "Use the qwen provider on a Standard endpoint (`claw-host onboard --auth-choice "
                   "qwen-standard-api-key` or qwen-standard-api-key-cn).");
  }
  if (media->availability != nullptr) {
    AbiCall check;
    const oc_status status = media->availability(context.provider(), context.get(), check.sink(), check.error());
    if (status != OC_OK) {
      const auto failure = check.failure(status, context.registered());
      throw CliError(exit_code_for(status), failure.message, failure.hint);
    }
    json::error_code ec;
    const auto answer = json::parse(check.output(), ec);
    if (!ec && answer.is_object()) {
      const auto& object = answer.as_object();
      const auto* available = object.if_contains("available");
      if (available != nullptr && available->is_bool() && !available->as_bool()) {
        const auto text = [&](const char* key) {
          const auto* value = object.if_contains(key);
          return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
        };
        throw CliError(kExitUnavailable, text("reason"), text("fix"));
      }
    }
  }
  if (target.api_key.empty()) session.call_target(provider_id, cli.value("base-url"), true); // throws, naming the fix

  // Local files are read (and size-checked) before anything is sent.
  json::array image_items;
  for (const auto& image : images) image_items.push_back(media_item(image, kMaxInlineImageBytes, "image"));
  json::array video_items;
  for (const auto& video : videos) video_items.push_back(media_item(video, kMaxInlineVideoBytes, "video"));
  json::object request{{"prompt", question}, {"stream", !cli.flag("no-stream")}};
  if (!image_items.empty()) request["images"] = std::move(image_items);
  if (!video_items.empty()) request["videos"] = std::move(video_items);

  Answer answer;
  answer.print = !cli.flag("json");
  const auto request_text = json::serialize(request);
  AbiCall call;
  const oc_status status =
      media->describe(context.provider(), context.get(), to_oc(request_text), on_event, &answer, call.error());
  if (answer.print && !answer.text.empty()) std::cout << '\n';
  if (status != OC_OK) {
    auto failure = call.failure(status, context.registered());
    std::string hint = failure.hint;
    if (!failure.request_id.empty()) hint += (hint.empty() ? "" : " ") + std::string("(request id ") + failure.request_id + ")";
    if (status == OC_ERR_CANCELLED && interrupt.interrupted()) failure.message = "Interrupted.";
    throw CliError(exit_code_for(status), failure.message, hint);
  }
  if (cli.flag("json")) {
    json::object out{{"model", "qwen-vl-max-latest"},
                     {"text", answer.text},
                     {"finishReason", answer.finish_reason},
                     {"requestId", answer.request_id}};
    if (answer.usage) {
      out["usage"] = {{"promptTokens", answer.usage->prompt_tokens},
                      {"completionTokens", answer.usage->completion_tokens},
                      {"totalTokens", answer.usage->total_tokens}};
    }
    std::cout << json::serialize(out) << '\n';
  }
  return kExitOk;
}

} // namespace claw_host
