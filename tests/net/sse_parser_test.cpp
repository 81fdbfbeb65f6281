#include "net/sse_parser.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace openclaw::qwen::net;

namespace {

struct Event {
  std::string type;
  std::string data;
  std::string id;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "{type=" << e.type << " id=" << e.id << " data=" << e.data << "}";
}

struct Collected {
  std::vector<Event> events;
  SseStatus status = SseStatus::Ok;
};

// Feeds `stream` cut at the given offsets and collects every event.
Collected parse_in_pieces(std::string_view stream, const std::vector<std::size_t>& cuts,
                          std::size_t max_event_bytes = SseParser::kDefaultMaxEventBytes) {
  SseParser parser(max_event_bytes);
  Collected out;
  std::size_t start = 0;
  auto collect = [&](const SseEvent& e) {
    out.events.push_back(Event{std::string(e.type), std::string(e.data), std::string(e.id)});
    return true;
  };
  for (std::size_t cut : cuts) {
    out.status = parser.feed(stream.substr(start, cut - start), collect);
    if (out.status != SseStatus::Ok) return out;
    start = cut;
  }
  out.status = parser.feed(stream.substr(start), collect);
  return out;
}

Collected parse(std::string_view stream) { return parse_in_pieces(stream, {}); }

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// A compatible-mode stream as DashScope sends it, with reasoning, a
// multi-byte answer, a tool call, the final usage chunk and [DONE].
const std::string kCompatibleStream =
    ": keep-alive\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[{\"delta\":{\"content\":null,\"role\":\"assistant\","
    "\"reasoning_content\":\"\"},\"index\":0,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\","
    "\"created\":1764000000,\"model\":\"qwen3.5-plus\"}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[{\"delta\":{\"reasoning_content\":\"The user greets.\"},"
    "\"index\":0,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\"}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[{\"delta\":{\"content\":\"\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x81 "
    "Hello!\"},\"index\":0,\"finish_reason\":null}],\"object\":\"chat.completion.chunk\"}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
    "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]},"
    "\"index\":0,\"finish_reason\":null}]}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
    "{\"arguments\":\"\\\"Hangzhou\\\"}\"}}]},\"index\":0,\"finish_reason\":\"tool_calls\"}]}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-3f1\",\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":17,"
    "\"total_tokens\":38,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n"
    "\n"
    "data: [DONE]\n"
    "\n";

// The native DashScope protocol: no space after the colons, id and event
// fields, and an HTTP status comment line.
const std::string kNativeStream =
    "id:1\n"
    "event:result\n"
    ":HTTP_STATUS/200\n"
    "data:{\"output\":{\"choices\":[{\"message\":{\"content\":\"Hi\",\"role\":\"assistant\"},"
    "\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":16,\"output_tokens\":1,\"input_tokens\":15},"
    "\"request_id\":\"5bef2d2e-1d3a-9c4f-8f1a-2c1b0f1e2d3c\"}\n"
    "\n"
    "id:2\n"
    "event:result\n"
    ":HTTP_STATUS/200\n"
    "data:{\"output\":{\"choices\":[{\"message\":{\"content\":\" there\",\"role\":\"assistant\"},"
    "\"finish_reason\":\"stop\"}]},\"usage\":{\"total_tokens\":17,\"output_tokens\":2,\"input_tokens\":15},"
    "\"request_id\":\"5bef2d2e-1d3a-9c4f-8f1a-2c1b0f1e2d3c\"}\n"
    "\n";

const std::string kRealisticStream = kCompatibleStream + kNativeStream;

void check_identical_at_every_split(const std::string& stream) {
  const Collected whole = parse(stream);
  REQUIRE(whole.status == SseStatus::Ok);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    const Collected split = parse_in_pieces(stream, {cut});
    INFO("split at byte " << cut);
    REQUIRE(split.status == SseStatus::Ok);
    REQUIRE(split.events == whole.events);
  }
  std::vector<std::size_t> every_byte;
  for (std::size_t cut = 1; cut < stream.size(); ++cut) every_byte.push_back(cut);
  CHECK(parse_in_pieces(stream, every_byte).events == whole.events);

  std::mt19937 rng(20261126);
  for (int round = 0; round < 100; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t pos = 0;
    while (true) {
      pos += std::uniform_int_distribution<std::size_t>(1, 40)(rng);
      if (pos >= stream.size()) break;
      cuts.push_back(pos);
    }
    INFO("random chunking round " << round);
    REQUIRE(parse_in_pieces(stream, cuts).events == whole.events);
  }
}

}  // namespace

TEST_CASE("A realistic DashScope stream yields the expected events", "[sse]") {
  const Collected result = parse(kRealisticStream);
  REQUIRE(result.status == SseStatus::Ok);
  REQUIRE(result.events.size() == 9);
  CHECK(result.events[0].type == "message");
  CHECK(result.events[0].id.empty());
  CHECK(result.events[2].data.find("\xE4\xBD\xA0\xE5\xA5\xBD") != std::string::npos);
  CHECK(result.events[5].data.find("\"usage\"") != std::string::npos);
  CHECK(result.events[6].data == "[DONE]");
  CHECK(result.events[7].type == "result");
  CHECK(result.events[7].id == "1");
  CHECK(result.events[7].data.starts_with("{\"output\""));
  CHECK(result.events[8].id == "2");
  CHECK(result.events[8].data.find("\"finish_reason\":\"stop\"") != std::string::npos);
}

TEST_CASE("Splitting the stream anywhere yields identical events (LF)", "[sse][split]") {
  check_identical_at_every_split(kRealisticStream);
}

TEST_CASE("Splitting the stream anywhere yields identical events (CRLF)", "[sse][split]") {
  const std::string crlf = replace_all(kRealisticStream, "\n", "\r\n");
  CHECK(parse(crlf).events == parse(kRealisticStream).events);
  check_identical_at_every_split(crlf);
}

TEST_CASE("Splitting the stream anywhere yields identical events (CR)", "[sse][split]") {
  const std::string cr = replace_all(kRealisticStream, "\n", "\r");
  CHECK(parse(cr).events == parse(kRealisticStream).events);
  check_identical_at_every_split(cr);
}

TEST_CASE("A CR ending one chunk and its LF starting the next make one line break", "[sse]") {
  const Collected result = parse_in_pieces("data: a\r\n\r\ndata: b\r\n\r\n", {8, 10});
  REQUIRE(result.events.size() == 2);
  CHECK(result.events[0].data == "a");
  CHECK(result.events[1].data == "b");
  // Mixed endings in one stream.
  const Collected mixed = parse("data: x\rdata: y\r\ndata: z\n\r\n");
  REQUIRE(mixed.events.size() == 1);
  CHECK(mixed.events[0].data == "x\ny\nz");
}

TEST_CASE("Multi-line data is joined with newlines", "[sse]") {
  const Collected result = parse("data: {\"a\":\ndata:  1}\ndata\ndata:\n\n");
  REQUIRE(result.events.size() == 1);
  // Only one leading space is removed; a bare `data` line adds an empty line.
  CHECK(result.events[0].data == "{\"a\":\n 1}\n\n");
}

TEST_CASE("Comments, unknown fields and empty events are not dispatched", "[sse]") {
  const Collected result = parse(": ping\n:HTTP_STATUS/200\nfoo: bar\nevent: result\n\nretry: 3000\n\ndata: real\n\n");
  REQUIRE(result.events.size() == 1);
  CHECK(result.events[0].type == "message");  // the earlier event type was discarded with its empty event
  CHECK(result.events[0].data == "real");
}

TEST_CASE("An empty data field still dispatches an event", "[sse]") {
  const Collected result = parse("data:\n\n");
  REQUIRE(result.events.size() == 1);
  CHECK(result.events[0].data.empty());
}

TEST_CASE("The last event id persists and retry is remembered", "[sse]") {
  SseParser parser;
  std::vector<std::string> ids;
  auto collect = [&](const SseEvent& e) {
    ids.emplace_back(e.id);
    return true;
  };
  REQUIRE(parser.feed("id: 7\nretry: 2500\ndata: a\n\ndata: b\n\nid\ndata: c\n\nretry: soon\n", collect) ==
          SseStatus::Ok);
  CHECK(ids == std::vector<std::string>{"7", "7", ""});
  REQUIRE(parser.retry_ms().has_value());
  CHECK(*parser.retry_ms() == 2500);
}

TEST_CASE("A leading BOM is skipped, even when split, but only at the start", "[sse]") {
  const std::string stream = "\xEF\xBB\xBF" "data: first\n\n\xEF\xBB\xBF" "data: second\n\n";
  for (std::size_t cut = 0; cut <= 4; ++cut) {
    const Collected result = parse_in_pieces(stream, {cut});
    // The second BOM is not stripped, so its line is an unknown field.
    REQUIRE(result.events.size() == 1);
    CHECK(result.events[0].data == "first");
    CHECK(result.events[0].type == "message");
  }
  // A BOM-like prefix that is not a BOM is ordinary text.
  const Collected partial = parse_in_pieces("\xEF" "data: x\n\n", {1});
  CHECK(partial.events.empty());
  const Collected field_after_bom = parse("\xEF\xBB\xBF" "event: e\ndata: x\n\n");
  REQUIRE(field_after_bom.events.size() == 1);
  CHECK(field_after_bom.events[0].type == "e");
}

TEST_CASE("An oversized event fails clearly and stays failed until reset", "[sse]") {
  SseParser parser(64);
  int events = 0;
  auto count = [&](const SseEvent&) {
    ++events;
    return true;
  };
  CHECK(parser.feed("data: small\n\n", count) == SseStatus::Ok);
  CHECK(events == 1);

  SECTION("many data lines") {
    const std::string line = "data: " + std::string(20, 'x') + "\n";
    CHECK(parser.feed(line + line + line + line, count) == SseStatus::EventTooLarge);
  }
  SECTION("one unterminated line arriving in pieces") {
    CHECK(parser.feed("data: " + std::string(40, 'y'), count) == SseStatus::Ok);
    CHECK(parser.feed(std::string(40, 'y'), count) == SseStatus::EventTooLarge);
  }
  CHECK(parser.error_message().find("64 bytes") != std::string::npos);
  CHECK(parser.feed("data: later\n\n", count) == SseStatus::EventTooLarge);
  CHECK(events == 1);

  parser.reset();
  CHECK(parser.error_message().empty());
  CHECK(parser.feed("data: again\n\n", count) == SseStatus::Ok);
  CHECK(events == 2);
}

TEST_CASE("An event exactly at the size limit is accepted", "[sse]") {
  // 10 bytes of data plus its line terminator = 11 buffered bytes.
  CHECK(parse_in_pieces("data: 0123456789\n\n", {}, 11).events.size() == 1);
  CHECK(parse_in_pieces("data: 0123456789\n\n", {}, 10).status == SseStatus::EventTooLarge);
}

TEST_CASE("Returning false from the callback stops parsing", "[sse]") {
  SseParser parser;
  int seen = 0;
  const auto status = parser.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n", [&](const SseEvent&) { return ++seen < 2; });
  CHECK(status == SseStatus::Stopped);
  CHECK(seen == 2);
}

TEST_CASE("A stream cut inside an event reports a partial event", "[sse]") {
  SseParser parser;
  int seen = 0;
  auto count = [&](const SseEvent&) {
    ++seen;
    return true;
  };
  CHECK_FALSE(parser.has_partial_event());
  parser.feed("data: complete\n\ndata: {\"trunc", count);
  CHECK(seen == 1);
  CHECK(parser.has_partial_event());
  parser.feed("ated\"}\n", count);
  CHECK(parser.has_partial_event());
  parser.feed("\n", count);
  CHECK(seen == 2);
  CHECK_FALSE(parser.has_partial_event());
}
