#include "claw_host/job_store.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::TempDir;

namespace {

VideoJobRecord job(std::string id, std::int64_t created_at_ms = 0) {
  VideoJobRecord record;
  record.task_id = std::move(id);
  record.provider = "qwen";
  record.model = "wan2.6-t2v";
  record.prompt = "a red fox in the snow";
  record.endpoint = "https://dashscope-intl.aliyuncs.com";
  record.created_at_ms = created_at_ms;
  return record;
}

}  // namespace

TEST_CASE("a job is on disk, mode 0600, as soon as put returns", "[job_store]") {
  TempDir tmp;
  JobStore store(tmp / "state/jobs");
  REQUIRE(store.put(job("0385dc79-5ff8-4d82-bcb6-000000000001")));
  const auto file = tmp / "state/jobs/0385dc79-5ff8-4d82-bcb6-000000000001.json";
  REQUIRE(std::filesystem::exists(file));
  CHECK(test::file_mode(file) == 0600);
  CHECK(test::file_mode(tmp / "state/jobs") == 0700);

  auto loaded = store.get("0385dc79-5ff8-4d82-bcb6-000000000001");
  REQUIRE(loaded);
  CHECK(loaded->model == "wan2.6-t2v");
  CHECK(loaded->prompt == "a red fox in the snow");
  CHECK(loaded->endpoint == "https://dashscope-intl.aliyuncs.com");
  CHECK(loaded->status == "submitted");
  CHECK(loaded->created_at_ms > 0);
  CHECK(loaded->updated_at_ms >= loaded->created_at_ms);
}

TEST_CASE("the job file uses the documented field names", "[job_store]") {
  TempDir tmp;
  JobStore store(tmp.path());
  REQUIRE(store.put(job("t1", 1000)));
  const auto text = test::read_file(tmp / "t1.json");
  for (const char* key :
       {"\"taskId\": \"t1\"", "\"provider\"", "\"model\"", "\"prompt\"", "\"endpoint\"", "\"createdAt\": 1000",
        "\"status\"", "\"resultUrls\": []", "\"outputPath\"", "\"lastError\"", "\"updatedAt\""}) {
    CHECK_THAT(text, Catch::Contains(key));
  }
}

TEST_CASE("update changes a job in place and keeps fields it does not know", "[job_store]") {
  TempDir tmp;
  JobStore store(tmp.path());
  auto record = job("t1", 1000);
  record.extra["seed"] = 7;
  REQUIRE(store.put(record));
  auto updated = store.update("t1", [](VideoJobRecord& r) {
    r.status = "SUCCEEDED";
    r.result_urls = {"https://dashscope-result.oss/v.mp4?sig=abc"};
    r.output_path = "/home/ada/fox.mp4";
  });
  REQUIRE(updated);
  auto loaded = store.get("t1");
  REQUIRE(loaded);
  CHECK(loaded->status == "SUCCEEDED");
  CHECK(loaded->result_urls == std::vector<std::string>{"https://dashscope-result.oss/v.mp4?sig=abc"});
  CHECK(loaded->output_path == "/home/ada/fox.mp4");
  CHECK(loaded->created_at_ms == 1000);
  CHECK(loaded->extra.at("seed") == 7);
}

TEST_CASE("update cannot change the task id or touch a missing job", "[job_store]") {
  TempDir tmp;
  JobStore store(tmp / "jobs");
  auto missing = store.update("nope", [](VideoJobRecord&) {});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::not_found);

  REQUIRE(store.put(job("t1")));
  auto renamed = store.update("t1", [](VideoJobRecord& r) { r.task_id = "t2"; });
  REQUIRE_FALSE(renamed);
  CHECK(renamed.error().code == ErrorCode::invalid_argument);
  CHECK_FALSE(std::filesystem::exists(tmp / "jobs/t2.json"));
}

TEST_CASE("list is sorted by creation time and reports unreadable files instead of failing", "[job_store]") {
  TempDir tmp;
  JobStore store(tmp.path());
  REQUIRE(store.put(job("late", 3000)));
  REQUIRE(store.put(job("early", 1000)));
  REQUIRE(store.put(job("middle", 2000)));
  test::write_file(tmp / "broken.json", "{\"taskId\": \"broken\",");
  test::write_file(tmp / "wrong-type.json", R"({"taskId": "wrong-type", "createdAt": "yesterday"})");
  test::write_file(tmp / "notes.txt", "ignored: not a job file");
  test::write_file(tmp / "bad name!.json", "{}");

  auto listing = store.list();
  REQUIRE(listing);
  std::vector<std::string> ids;
  for (const auto& record : listing->jobs) ids.push_back(record.task_id);
  CHECK(ids == std::vector<std::string>{"early", "middle", "late"});
  REQUIRE(listing->problems.size() == 3);
  std::sort(listing->problems.begin(), listing->problems.end());
  CHECK_THAT(listing->problems[0], Catch::Contains("bad name!.json") && Catch::Contains("move it out"));
  CHECK_THAT(listing->problems[1], Catch::Contains("broken.json:1:") && Catch::Contains("delete the file"));
  CHECK_THAT(listing->problems[2], Catch::Contains("wrong-type.json") && Catch::Contains("\"createdAt\" must be"));
}

TEST_CASE("list of a jobs directory that does not exist yet is empty", "[job_store]") {
  TempDir tmp;
  auto listing = JobStore(tmp / "jobs").list();
  REQUIRE(listing);
  CHECK(listing->jobs.empty());
  CHECK(listing->problems.empty());
}

TEST_CASE("task ids that could escape the jobs directory are refused", "[job_store][security]") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "jobs");
  test::write_file(tmp / "secret.json", R"({"taskId": "secret"})");
  JobStore store(tmp / "jobs");
  const std::vector<std::string> hostile_ids = {"../secret",
                                                "..",
                                                ".",
                                                "",
                                                "a/b",
                                                "/etc/passwd",
                                                "a\\b",
                                                "id with space",
                                                std::string("nul\0byte", 8),
                                                "t\xC3\xA9",
                                                std::string(129, 'a')};
  for (const auto& id : hostile_ids) {
    INFO("id: " << id);
    auto got = store.get(id);
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::invalid_argument);
    CHECK_THAT(got.error().message, Catch::Contains("letters, digits, '-' and '_'"));
    CHECK_FALSE(store.put(job(id)));
    CHECK_FALSE(store.update(id, [](VideoJobRecord&) {}));
    CHECK_FALSE(store.file_for(id));
  }
  CHECK(test::list_dir(tmp / "jobs") == std::vector<std::string>{});
  CHECK(validate_task_id(std::string(128, 'a')));
  CHECK(validate_task_id("0385dc79-5ff8_4d82"));
}

TEST_CASE("a job file whose taskId does not match its name is refused", "[job_store]") {
  TempDir tmp;
  test::write_file(tmp / "a.json", R"({"taskId": "b"})");
  auto got = JobStore(tmp.path()).get("a");
  REQUIRE_FALSE(got);
  CHECK_THAT(got.error().message, Catch::Contains("holds task b, not a"));
}
