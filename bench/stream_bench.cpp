// Streaming throughput: how fast the plugin turns a long DashScope SSE
// stream into host events, against curl reading the same stream from the
// same local emulator in the same run (curl only moves bytes, so the ratio
// is the cost of SSE parsing, JSON decoding and event delivery on top).
//
// Usage: stream_bench <plugin dir> [chunks] [runs]
#include "claw_host/plugin_host.hpp"
#include "dashscope_emulator/emulator.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace de = dashscope_emulator;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Counter {
  std::size_t text_events = 0;
  std::size_t text_bytes = 0;
};

int32_t OC_ABI count_event(void* data, const oc_event_header* header) {
  auto& counter = *static_cast<Counter*>(data);
  if (header->type == OC_EVENT_TEXT_DELTA) {
    ++counter.text_events;
    counter.text_bytes += reinterpret_cast<const oc_event_text*>(header)->text.len;
  }
  return 0;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

de::ChatScript script(int chunks) {
  // ~6 bytes of text a chunk, like real token deltas.
  std::string content;
  for (int i = 0; i < chunks; ++i) content += "token ";
  de::ChatScript out;
  out.content = content;
  out.content_chunks = chunks;
  return out;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: stream_bench <plugin dir> [chunks] [runs]\n";
    return 2;
  }
  const int chunks = argc > 2 ? std::atoi(argv[2]) : 20000;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;

  claw_host::PluginHost host;
  const auto found = claw_host::discover_plugins(argv[1]);
  if (found.plugins.empty() || host.load(found.plugins[0])) {
    std::cerr << "cannot load the plugin from " << argv[1] << "\n";
    return 1;
  }
  const auto* provider = host.find("qwen")->table;
  const auto* chat = static_cast<const oc_chat_v1*>(provider->get_capability(provider, OC_CAPABILITY_CHAT));

  de::Emulator emulator;
  const std::string base_url = emulator.coding_base_url();
  const std::string request = R"({"model":"qwen/qwen3.5-plus","stream":true,"messages":[{"role":"user","content":"go"}]})";
  const std::string key = "sk-bench";

  std::vector<double> plugin_ms, curl_ms;
  std::size_t events = 0;
  for (int run = 0; run < runs; ++run) {
    emulator.push_chat(script(chunks));
    oc_call_context ctx{};
    ctx.struct_size = sizeof ctx;
    ctx.base_url = {base_url.data(), base_url.size()};
    ctx.api_key = {key.data(), key.size()};
    Counter counter;
    oc_error error{};
    error.struct_size = sizeof error;
    const auto start = Clock::now();
    const auto status = chat->complete(provider, &ctx, {request.data(), request.size()}, count_event, &counter, &error);
    plugin_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (status != OC_OK) {
      std::cerr << "chat failed: " << error.message << "\n";
      return 1;
    }
    events = counter.text_events;

    emulator.push_chat(script(chunks));
    const std::string command = "curl -sS -N -o /dev/null -X POST -H 'Authorization: Bearer sk-bench' "
                                "-H 'Content-Type: application/json' --data '" + std::string(R"({"model":"qwen3.5-plus","stream":true,"messages":[{"role":"user","content":"go"}]})") +
                                "' " + base_url + "/chat/completions";
    const auto curl_start = Clock::now();
    if (std::system(command.c_str()) != 0) {
      std::cerr << "curl failed (is it installed?)\n";
      return 1;
    }
    curl_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - curl_start).count());
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double plugin = median(plugin_ms);
  const double curl = median(curl_ms);
  std::printf("chunks per stream      %d (text events delivered: %zu)\n", chunks, events);
  std::printf("plugin, median of %d   %.1f ms  (%.2f us/chunk, %.0f chunks/s)\n", runs, plugin,
              plugin * 1000.0 / chunks, chunks / (plugin / 1000.0));
  std::printf("curl,   median of %d   %.1f ms  (%.2f us/chunk)\n", runs, curl, curl * 1000.0 / chunks);
  std::printf("ratio plugin / curl    %.2f\n", plugin / curl);
  std::printf("peak RSS of this process (plugin + emulator) %ld KiB\n", usage.ru_maxrss);
  return 0;
}
