// Per-chunk decoding cost without the network: the plugin's SSE parser and
// stream decoder turning a recorded DashScope stream into host events,
// against the floor any JSON-based client pays — boost::json::parse of each
// chunk alone — measured in the same run on the same bytes.
//
// Usage: decode_bench [chunks] [runs]
#include "chat/chat_response.hpp"
#include "event_sink.hpp"
#include "net/sse_parser.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace openclaw::qwen;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int32_t OC_ABI count_event(void* data, const oc_event_header*) {
  ++*static_cast<std::size_t*>(data);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  const int chunks = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 7;

  // A realistic compatible-mode chunk, as DashScope sends it.
  std::vector<std::string> payloads;
  std::string stream;
  for (int i = 0; i < chunks; ++i) {
    payloads.push_back(R"({"id":"chatcmpl-5f0c1a2b","object":"chat.completion.chunk","created":1764158400,"model":"qwen3.5-plus","choices":[{"index":0,"delta":{"content":"tok)" +
                       std::to_string(i % 100) + R"( "},"finish_reason":null}],"usage":null})");
    stream += "data: " + payloads.back() + "\n\n";
  }
  stream += "data: [DONE]\n\n";

  std::vector<double> plugin_ms, floor_ms;
  std::size_t events = 0;
  for (int run = 0; run < runs; ++run) {
    events = 0;
    const auto start = Clock::now();
    EventSink sink(count_event, &events);
    chat::StreamDecoder decoder(sink);
    net::SseParser parser;
    // Network reads arrive in pieces; 4 KiB is a typical TLS record size.
    for (std::size_t offset = 0; offset < stream.size(); offset += 4096) {
      parser.feed(std::string_view(stream).substr(offset, 4096), [&](const net::SseEvent& event) {
        return static_cast<bool>(decoder.on_data(event.data));
      });
    }
    if (!decoder.finish("bench")) return 1;
    plugin_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());

    const auto floor_start = Clock::now();
    std::size_t parsed = 0;
    for (const auto& payload : payloads) parsed += boost::json::parse(payload).is_object() ? 1 : 0;
    floor_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - floor_start).count());
    if (parsed != payloads.size()) return 1;
  }
  const double plugin = median(plugin_ms);
  const double floor = median(floor_ms);
  std::printf("chunks %d, stream %.1f MiB, events delivered %zu\n", chunks, static_cast<double>(stream.size()) / 1048576.0, events);
  std::printf("plugin SSE+decode+events, median of %d   %.1f ms  (%.0f ns/chunk)\n", runs, plugin, plugin * 1e6 / chunks);
  std::printf("boost::json::parse per chunk (floor)    %.1f ms  (%.0f ns/chunk)\n", floor, floor * 1e6 / chunks);
  std::printf("ratio plugin / floor                    %.2f\n", plugin / floor);
  return 0;
}
