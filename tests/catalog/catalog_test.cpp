// The bundled catalog against SPEC.md's table, on every endpoint.
#include <openclaw_qwen/catalog.hpp>
#include <openclaw_qwen/endpoint.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

using namespace openclaw::qwen::catalog;

namespace {

struct Expected {
  std::vector<std::string> input;
  std::uint64_t context_window;
  std::uint64_t max_tokens;
  bool reasoning;
};

// SPEC.md "Catalog", written out independently of qwen-models.json.
const std::map<std::string, Expected> kSpecRows{
    {"qwen3.5-plus", {{"text", "image"}, 1000000, 65536, false}},
    {"qwen3.6-plus", {{"text", "image"}, 1000000, 65536, false}},
    {"qwen3-max-2026-01-23", {{"text"}, 262144, 65536, false}},
    {"qwen3-coder-next", {{"text"}, 262144, 65536, false}},
    {"qwen3-coder-plus", {{"text"}, 1000000, 65536, false}},
    {"MiniMax-M2.5", {{"text"}, 1000000, 65536, true}},
    {"glm-5", {{"text"}, 202752, 16384, false}},
    {"glm-4.7", {{"text"}, 202752, 16384, false}},
    {"kimi-k2.5", {{"text", "image"}, 262144, 32768, false}},
};

const ProviderCatalog& qwen() { return *Catalog::bundled().provider("qwen"); }
const ProviderCatalog& portal() { return *Catalog::bundled().provider("qwen-oauth"); }

std::vector<ModelRow> list(const ProviderCatalog& catalog, const std::string& base_url,
                           const boost::json::object* config = nullptr, bool all = false) {
  return list_models(catalog, ListRequest{catalog.provider_id, base_url, config, all});
}

} // namespace

TEST_CASE("every catalog row matches the spec on every endpoint", "[catalog]") {
  const std::vector<std::pair<std::string, bool>> endpoints{
      {"https://dashscope.aliyuncs.com/compatible-mode/v1", true},
      {"https://dashscope-intl.aliyuncs.com/compatible-mode/v1", true},
      {"https://coding.dashscope.aliyuncs.com/v1", false},
      {"https://coding-intl.dashscope.aliyuncs.com/v1", false},
      {"https://portal.qwen.ai/v1", true},
      {"https://llm-proxy.example.com/v1", true},
  };
  for (const auto& [url, shows_standard_only] : endpoints) {
    INFO(url);
    const auto rows = list(qwen(), url);
    CHECK(rows.size() == (shows_standard_only ? 9u : 8u));
    for (const auto& row : rows) {
      INFO(row.id);
      const auto& spec = kSpecRows.at(row.id);
      CHECK(row.ref == "qwen/" + row.id);
      CHECK(row.name == row.id);
      CHECK(row.input == spec.input);
      CHECK(row.context_window == spec.context_window);
      CHECK(row.max_tokens == spec.max_tokens);
      CHECK(row.reasoning == spec.reasoning);
      CHECK(row.is_default == (row.id == "qwen3.5-plus"));
      CHECK(row.available);
      CHECK_FALSE(row.configured);
      CHECK(row.cost.input == 0);
      CHECK(row.cost.output == 0);
    }
  }
}

TEST_CASE("the portal offers the same nine models with 65,536 max output each", "[catalog]") {
  const auto rows = list(portal(), "https://coding-intl.dashscope.aliyuncs.com/v1");
  REQUIRE(rows.size() == 9);
  for (const auto& row : rows) {
    INFO(row.id);
    CHECK(row.ref == "qwen-oauth/" + row.id);
    CHECK(row.max_tokens == 65536);
    CHECK(row.context_window == kSpecRows.at(row.id).context_window);
    CHECK(row.is_default == (row.id == "qwen3.5-plus"));
  }
}

TEST_CASE("listing everything shows the model Coding Plan hides, marked unavailable with the reason", "[catalog]") {
  const auto rows = list(qwen(), "https://coding.dashscope.aliyuncs.com/v1", nullptr, true);
  REQUIRE(rows.size() == 9);
  const auto hidden = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.id == "qwen3.6-plus"; });
  REQUIRE(hidden != rows.end());
  CHECK_FALSE(hidden->available);
  CHECK(hidden->hidden_reason == "qwen3.6-plus is not supported on the Qwen Coding Plan endpoint");
}

TEST_CASE("a model the user lists is honoured on a Coding Plan endpoint", "[catalog]") {
  const auto config = boost::json::parse(R"({"models":[{"id":"qwen3.6-plus"},
      {"id":"qwen-custom-7b","input":["text"],"contextWindow":32768,"maxTokens":4096,"reasoning":true}]})").as_object();
  const auto rows = list(qwen(), "https://coding-intl.dashscope.aliyuncs.com/v1", &config);
  REQUIRE(rows.size() == 10);
  const auto& opted_in = *std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.id == "qwen3.6-plus"; });
  CHECK(opted_in.available);
  CHECK(opted_in.configured);
  const auto& custom = rows.back();
  CHECK(custom.ref == "qwen/qwen-custom-7b");
  CHECK(custom.context_window == 32768);
  CHECK(custom.reasoning);
  CHECK_FALSE(custom.in_catalog);

  const auto resolved = resolve_model(qwen(), ListRequest{"qwen", "https://coding-intl.dashscope.aliyuncs.com/v1", &config, false},
                                      "qwen3.6-plus");
  CHECK(resolved.row.has_value());
}

TEST_CASE("asking for a Standard-only model on Coding Plan names the fix", "[catalog]") {
  const auto outcome = resolve_model(qwen(), ListRequest{"qwen", "https://coding-intl.dashscope.aliyuncs.com/v1", nullptr, false},
                                     "qwen3.6-plus");
  REQUIRE_FALSE(outcome.row.has_value());
  CHECK(outcome.error ==
        "Unknown model: qwen/qwen3.6-plus. qwen3.6-plus is not supported on the Qwen Coding Plan endpoint; "
        "use a Standard pay-as-you-go Qwen endpoint or choose qwen/qwen3.5-plus.");
}

TEST_CASE("Coding Plan hosts are recognised by hostname, case-insensitive, trailing dot ignored", "[endpoint]") {
  for (const auto* url : {"https://CODING-INTL.dashscope.aliyuncs.com./v1", "https://coding.dashscope.aliyuncs.com:443/v1",
                          "http://user@coding.DashScope.aliyuncs.com/v1"}) {
    INFO(url);
    const auto endpoint = classify_endpoint(url);
    REQUIRE(endpoint);
    CHECK(endpoint->is_coding_plan());
    CHECK(endpoint->is_native_dashscope());
  }
  const auto lookalike = classify_endpoint("https://coding.dashscope.aliyuncs.com.evil.example/v1");
  REQUIRE(lookalike);
  CHECK(lookalike->kind == EndpointKind::Custom);
  CHECK_FALSE(classify_endpoint("coding.dashscope.aliyuncs.com/v1"));
  CHECK_FALSE(classify_endpoint("ftp://dashscope.aliyuncs.com"));
}

TEST_CASE("the video AIGC host follows the region whatever the plan", "[endpoint]") {
  CHECK(aigc_origin(*classify_endpoint("https://coding-intl.dashscope.aliyuncs.com/v1")) == "https://dashscope-intl.aliyuncs.com");
  CHECK(aigc_origin(*classify_endpoint("https://dashscope-intl.aliyuncs.com/compatible-mode/v1")) == "https://dashscope-intl.aliyuncs.com");
  CHECK(aigc_origin(*classify_endpoint("https://coding.dashscope.aliyuncs.com/v1")) == "https://dashscope.aliyuncs.com");
  CHECK(aigc_origin(*classify_endpoint("https://dashscope.aliyuncs.com/compatible-mode/v1")) == "https://dashscope.aliyuncs.com");
  CHECK(aigc_origin(*classify_endpoint("http://127.0.0.1:8080/compatible-mode/v1")) == "http://127.0.0.1:8080");
}

TEST_CASE("a catalog with a default model missing from its list is rejected", "[catalog]") {
  CHECK_THROWS_WITH(Catalog::parse(R"({"providers":{"x":{"defaultModel":"a","models":[
      {"id":"b","contextWindow":1,"maxTokens":1}]}}})"),
                    Catch::Contains("default model 'a'"));
}

TEST_CASE("the four native DashScope hosts are recognised, and only they", "[endpoint]") {
  for (const auto* url : {"https://dashscope.aliyuncs.com/compatible-mode/v1", "https://dashscope-intl.aliyuncs.com/x",
                          "https://coding.dashscope.aliyuncs.com/v1", "https://coding-intl.dashscope.aliyuncs.com/v1",
                          "https://DashScope.AliyunCS.com./v1"}) {
    INFO(url);
    CHECK(classify_endpoint(url)->is_native_dashscope());
  }
  for (const auto* url : {"https://portal.qwen.ai/v1", "https://evil-dashscope.aliyuncs.com/v1",
                          "https://dashscope.aliyuncs.com.evil.com/v1", "http://127.0.0.1:8080/v1",
                          "https://coding.dashscope.aliyuncs.com.cn/v1"}) {
    INFO(url);
    CHECK_FALSE(classify_endpoint(url)->is_native_dashscope());
  }
  CHECK_FALSE(classify_endpoint("https://dashscope.aliyuncs.com/v1")->is_coding_plan());
  CHECK(classify_endpoint("https://coding.dashscope.aliyuncs.com/v1")->region() == Region::China);
  CHECK(classify_endpoint("https://coding-intl.dashscope.aliyuncs.com/v1")->region() == Region::Global);
}
