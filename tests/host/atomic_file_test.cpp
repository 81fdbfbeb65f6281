#include "claw_host/atomic_file.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "test_support.hpp"

using namespace claw_host;
using claw_host::test::TempDir;

TEST_CASE("write_file_atomically creates the file with exactly the requested mode", "[atomic_file]") {
  TempDir tmp;
  const auto old_umask = ::umask(077);  // the mode must not depend on the caller's umask
  REQUIRE(write_file_atomically(tmp / "public.json", "{}\n", {.mode = 0644, .before_rename = {}}));
  ::umask(old_umask);
  REQUIRE(write_file_atomically(tmp / "secret.json", "{}\n"));
  CHECK(test::file_mode(tmp / "public.json") == 0644);
  CHECK(test::file_mode(tmp / "secret.json") == 0600);
  CHECK(test::read_file(tmp / "secret.json") == "{}\n");
}

TEST_CASE("write_file_atomically replaces the content and leaves no temp file behind", "[atomic_file]") {
  TempDir tmp;
  test::write_file(tmp / "f.txt", "old");
  REQUIRE(write_file_atomically(tmp / "f.txt", "new content"));
  CHECK(test::read_file(tmp / "f.txt") == "new content");
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"f.txt"});
}

TEST_CASE("a failed rename leaves the target untouched and removes the temp file", "[atomic_file]") {
  TempDir tmp;
  // rename() of a file over a non-empty directory fails.
  std::filesystem::create_directories(tmp / "dir/inner");
  auto result = write_file_atomically(tmp / "dir", "new");
  REQUIRE_FALSE(result);
  CHECK_THAT(result.error().message, Catch::Contains(tmp.path().string() + "/dir"));
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"dir"});
  CHECK(std::filesystem::is_directory(tmp / "dir/inner"));
}

TEST_CASE("a failed write (file too large) leaves the old file untouched and removes the temp file", "[atomic_file]") {
  TempDir tmp;
  test::write_file(tmp / "f.txt", "old");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The size limit makes write() fail with EFBIG, as a full disk would with ENOSPC.
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {};
    limit.rlim_cur = limit.rlim_max = 16;
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto result = write_file_atomically(tmp / "f.txt", std::string(4096, 'x'));
    const bool ok = !result && result.error().message.find("could not write") != std::string::npos &&
                    test::read_file(tmp / "f.txt") == "old" &&
                    test::list_dir(tmp.path()) == std::vector<std::string>{"f.txt"};
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(test::read_file(tmp / "f.txt") == "old");
}

TEST_CASE("a missing directory is reported with the path and what to do", "[atomic_file]") {
  TempDir tmp;
  auto result = write_file_atomically(tmp / "nowhere/f.txt", "x");
  REQUIRE_FALSE(result);
  CHECK_THAT(result.error().message,
             Catch::Contains("nowhere/f.txt") && Catch::Contains("does not exist") && Catch::Contains("create it"));
}

TEST_CASE("the streaming writer commits chunks as one file", "[atomic_file]") {
  TempDir tmp;
  auto writer = AtomicFileWriter::create(tmp / "video.mp4", {.mode = 0644, .before_rename = {}});
  REQUIRE(writer);
  for (int i = 0; i < 100; ++i) REQUIRE(writer->write(std::string(1000, static_cast<char>('a' + i % 26))));
  CHECK(writer->bytes_written() == 100000);
  CHECK_FALSE(std::filesystem::exists(tmp / "video.mp4"));  // invisible until commit
  REQUIRE(writer->commit());
  CHECK(std::filesystem::file_size(tmp / "video.mp4") == 100000);
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"video.mp4"});
  auto again = writer->commit();
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error().message, Catch::Contains("start a new AtomicFileWriter"));
}

TEST_CASE("dropping the streaming writer without commit discards the temp file", "[atomic_file]") {
  TempDir tmp;
  test::write_file(tmp / "video.mp4", "previous download");
  {
    auto writer = AtomicFileWriter::create(tmp / "video.mp4");
    REQUIRE(writer);
    REQUIRE(writer->write("partial"));
    CHECK(std::filesystem::exists(writer->temp_path()));
  }
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"video.mp4"});
  CHECK(test::read_file(tmp / "video.mp4") == "previous download");
}

TEST_CASE("a moved streaming writer keeps its temp file until committed", "[atomic_file]") {
  TempDir tmp;
  auto created = AtomicFileWriter::create(tmp / "f.bin");
  REQUIRE(created);
  AtomicFileWriter writer = std::move(created).value();
  REQUIRE(writer.write("abc"));
  REQUIRE(writer.commit());
  CHECK(test::read_file(tmp / "f.bin") == "abc");
}

TEST_CASE("a process that dies before rename leaves the old file intact", "[atomic_file][crash]") {
  TempDir tmp;
  test::write_file(tmp / "f.json", "old content");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto written =
        write_file_atomically(tmp / "f.json", "new content", {.mode = 0600, .before_rename = [] { ::_exit(42); }});
    ::_exit(written ? 0 : 1);  // not reached when the hook fires
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42);
  CHECK(test::read_file(tmp / "f.json") == "old content");

  // The dead writer's temp file is still there; cleanup recognises it by name.
  CHECK(test::list_dir(tmp.path()).size() == 2);
  CHECK(remove_stale_temp_files(tmp / "f.json") == 1);
  CHECK(test::list_dir(tmp.path()) == std::vector<std::string>{"f.json"});
}

TEST_CASE("writing through a symlink replaces the link's target, not the link", "[atomic_file]") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "dotfiles");
  test::write_file(tmp / "dotfiles/openclaw.json", "{}");
  std::filesystem::create_symlink(tmp / "dotfiles/openclaw.json", tmp / "openclaw.json");
  REQUIRE(write_file_atomically(tmp / "openclaw.json", "{\"a\": 1}\n"));
  CHECK(std::filesystem::is_symlink(tmp / "openclaw.json"));
  CHECK(test::read_file(tmp / "dotfiles/openclaw.json") == "{\"a\": 1}\n");
}
