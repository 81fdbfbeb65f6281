// `claw-host understand`: describe images and video through the provider's
// media understanding capability (qwen-vl-max-latest on Standard endpoints),
// streamed to the terminal.
#include "abi_call.hpp"
#include "call_context.hpp"
#include "cancellation.hpp"
#include "cli_args.hpp"
#include "cli_error.hpp"
#include "commands.hpp"
#include "streamed_answer.hpp"
#include "media_input.hpp"
#include "terminal.hpp"

#include <boost/json.hpp>

#include <iostream>

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
  const auto question =
      read_text_argument(cli, "understand", "claw-host understand --image photo.png \"What is in this picture?\"");
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

  StreamedAnswer answer;
  answer.print = !cli.flag("json");
  const auto request_text = json::serialize(request);
  AbiCall call;
  const oc_status status =
      media->describe(context.provider(), context.get(), to_oc(request_text), StreamedAnswer::on_event, &answer, call.error());
  answer.end_stream();
  if (status != OC_OK) throw_call_failure(call, status, context.registered(), interrupt.interrupted());
  if (cli.flag("json")) {
    auto out = answer.to_json();
    out["model"] = "qwen-vl-max-latest";
    std::cout << json::serialize(out) << '\n';
  } else {
    answer.print_summary();
  }
  return kExitOk;
}

} // namespace claw_host
