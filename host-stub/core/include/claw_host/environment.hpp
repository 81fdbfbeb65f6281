// Variable lookup with the precedence users expect from dotenv tools: the real
// process environment first, then <state dir>/.env. A value from .env never
// overrides one that is really set, and nothing here calls setenv() (which is
// not thread-safe): consumers ask this object instead of getenv().
//
// An empty or all-whitespace value counts as not set, in either source, so a
// service manager's `QWEN_API_KEY=` line does not hide the key in .env.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "claw_host/dotenv.hpp"

namespace claw_host {

// How the real environment is read; tests substitute a table.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// getenv(), as an EnvLookup.
std::optional<std::string> process_env(std::string_view name);

enum class EnvSource { process, dotenv };

struct EnvValue {
  std::string value;
  EnvSource source;
};

class Environment {
 public:
  // The real environment only.
  Environment();
  explicit Environment(DotEnv dotenv, EnvLookup process = process_env);

  std::optional<EnvValue> lookup(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;

  const DotEnv& dotenv() const noexcept { return dotenv_; }

 private:
  DotEnv dotenv_;
  EnvLookup process_;
};

}  // namespace claw_host
