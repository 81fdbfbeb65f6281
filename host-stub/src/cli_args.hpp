// A small command-line parser: "--flag", "--option value", "--option=value",
// repeatable options, positionals, and "--" to end options.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace claw_host {

struct OptionSpec {
  std::string name;    // without dashes, eg "provider"
  bool takes_value;    // false: a flag
  bool repeatable = false;
};

class CliArgs {
public:
  // Throws CliError(kExitUsage) naming the unknown option or missing value.
  CliArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
          const std::string& command_name);

  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

private:
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

} // namespace claw_host
