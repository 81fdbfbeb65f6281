#include "cli_args.hpp"

#include "cli_error.hpp"

#include <algorithm>

namespace claw_host {

CliArgs::CliArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                 const std::string& command_name) {
  auto find = [&](const std::string& name) -> const OptionSpec* {
    const auto it = std::find_if(specs.begin(), specs.end(),
                                 [&](const OptionSpec& spec) { return spec.name == name; });
    return it == specs.end() ? nullptr : &*it;
  };
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      if (arg == "--") {
        options_done = true;
        continue;
      }
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto* spec = find(name);
    if (spec == nullptr) {
      throw CliError(kExitUsage, "Unknown option --" + name + " for `" + command_name + "`.",
                     "Run `claw-host " + command_name + " --help` for its options.");
    }
    if (!spec->takes_value) {
      if (inline_value) {
        throw CliError(kExitUsage, "--" + name + " takes no value.",
                       "Run `claw-host " + command_name + " --help`.");
      }
      flags_.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        throw CliError(kExitUsage, "--" + name + " needs a value.",
                       "Run `claw-host " + command_name + " --help`.");
      }
      inline_value = args[++i];
    }
    auto& slot = values_[name];
    if (!spec->repeatable && !slot.empty()) {
      throw CliError(kExitUsage, "--" + name + " was given twice.",
                     "Give it once; run `claw-host " + command_name + " --help`.");
    }
    slot.push_back(*inline_value);
  }
}

std::optional<std::string> CliArgs::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> CliArgs::values(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int exit_code_for(oc_status status) {
  switch (status) {
  case OC_OK:
  case OC_INCOMPLETE:
    return kExitOk;
  case OC_ERR_INVALID_ARGUMENT:
    return kExitUsage;
  case OC_ERR_AUTH:
    return kExitAuth;
  case OC_ERR_INCOMPATIBLE:
    return kExitPlugin;
  case OC_ERR_UNAVAILABLE:
  case OC_ERR_NOT_FOUND:
  case OC_ERR_MODEL_UNSUPPORTED_ON_PLAN:
    return kExitUnavailable;
  case OC_ERR_RATE_LIMITED:
    return kExitRateLimited;
  case OC_ERR_TIMEOUT:
  case OC_ERR_NETWORK:
  case OC_ERR_TLS:
    return kExitNetwork;
  case OC_ERR_CANCELLED:
    return kExitInterrupted;
  default:
    return kExitFailure;
  }
}

} // namespace claw_host
