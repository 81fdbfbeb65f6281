#include "claw_host/state_dir.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::env_table;

TEST_CASE("state dir defaults to ~/.openclaw and everything hangs off it", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({{"HOME", "/home/ada"}});
  auto paths = resolve_state_paths(options);
  REQUIRE(paths);
  CHECK(paths->state_dir == "/home/ada/.openclaw");
  CHECK(paths->plugin_dir == "/home/ada/.openclaw/plugins");
  CHECK(paths->config_file == "/home/ada/.openclaw/openclaw.json");
  CHECK(paths->credentials_file == "/home/ada/.openclaw/credentials.json");
  CHECK(paths->dotenv_file == "/home/ada/.openclaw/.env");
  CHECK(paths->jobs_dir == "/home/ada/.openclaw/jobs");
}

TEST_CASE("OPENCLAW_STATE_DIR moves the whole state dir, with ~ expanded", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({{"HOME", "/home/ada"}, {"OPENCLAW_STATE_DIR", "~/gateway/state/"}});
  auto paths = resolve_state_paths(options);
  REQUIRE(paths);
  CHECK(paths->state_dir == "/home/ada/gateway/state");
  CHECK(paths->config_file == "/home/ada/gateway/state/openclaw.json");
  CHECK(paths->plugin_dir == "/home/ada/gateway/state/plugins");
}

TEST_CASE("an empty OPENCLAW_STATE_DIR counts as unset", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({{"HOME", "/home/ada"}, {"OPENCLAW_STATE_DIR", ""}});
  auto paths = resolve_state_paths(options);
  REQUIRE(paths);
  CHECK(paths->state_dir == "/home/ada/.openclaw");
}

TEST_CASE("plugin dir: the flag beats OPENCLAW_PLUGIN_DIR, which beats <state>/plugins", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({{"HOME", "/home/ada"}, {"OPENCLAW_PLUGIN_DIR", "/opt/claw/plugins"}});
  auto from_env = resolve_state_paths(options);
  REQUIRE(from_env);
  CHECK(from_env->plugin_dir == "/opt/claw/plugins");

  options.plugin_dir_flag = "/srv/plugins";
  auto from_flag = resolve_state_paths(options);
  REQUIRE(from_flag);
  CHECK(from_flag->plugin_dir == "/srv/plugins");
  CHECK(from_flag->state_dir == "/home/ada/.openclaw");
}

TEST_CASE("relative state dirs become absolute", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({{"OPENCLAW_STATE_DIR", "rel/state"}});
  auto paths = resolve_state_paths(options);
  REQUIRE(paths);
  CHECK(paths->state_dir.is_absolute());
  CHECK(paths->state_dir == (std::filesystem::current_path() / "rel/state").lexically_normal());
}

TEST_CASE("without HOME or OPENCLAW_STATE_DIR the error says which variable to set", "[state_dir]") {
  StateDirOptions options;
  options.env = env_table({});
  auto paths = resolve_state_paths(options);
  REQUIRE_FALSE(paths);
  CHECK(paths.error().code == ErrorCode::not_found);
  CHECK_THAT(paths.error().message, Catch::Contains("HOME") && Catch::Contains("set OPENCLAW_STATE_DIR"));
}

TEST_CASE("ensure_directory creates missing parents with mode 0700 and leaves existing dirs alone", "[state_dir]") {
  test::TempDir tmp;
  const auto jobs = tmp / "state/jobs";
  REQUIRE(ensure_directory(jobs));
  CHECK(test::file_mode(tmp / "state") == 0700);
  CHECK(test::file_mode(jobs) == 0700);

  ::chmod((tmp / "state").c_str(), 0750);
  REQUIRE(ensure_directory(tmp / "state"));
  CHECK(test::file_mode(tmp / "state") == 0750);
}

TEST_CASE("ensure_directory refuses a file in the way and says to move it", "[state_dir]") {
  test::TempDir tmp;
  test::write_file(tmp / "state", "not a dir");
  auto made = ensure_directory(tmp / "state");
  REQUIRE_FALSE(made);
  CHECK_THAT(made.error().message, Catch::Contains("not a directory") && Catch::Contains("move it away"));
}
