#include "claw_host/environment.hpp"

#include <cstdlib>
#include <string>

namespace claw_host {

namespace {

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

std::optional<std::string> process_env(std::string_view name) {
  const std::string key(name);
  if (const char* value = std::getenv(key.c_str())) return std::string(value);
  return std::nullopt;
}

Environment::Environment() : process_(process_env) {}

Environment::Environment(DotEnv dotenv, EnvLookup process) : dotenv_(std::move(dotenv)), process_(std::move(process)) {}

std::optional<EnvValue> Environment::lookup(std::string_view name) const {
  if (process_) {
    if (auto value = process_(name); value && !is_blank(*value)) return EnvValue{std::move(*value), EnvSource::process};
  }
  if (auto value = dotenv_.get(name); value && !is_blank(*value)) return EnvValue{std::move(*value), EnvSource::dotenv};
  return std::nullopt;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  auto found = lookup(name);
  if (!found) return std::nullopt;
  return std::move(found->value);
}

}  // namespace claw_host
