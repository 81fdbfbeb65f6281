// Writes openclaw.plugin.json, the manifest a host reads to list the plugin
// without loading its code. Generated from the same tables the plugin
// registers, so the two can never disagree.
#include "provider_specs.hpp"

#include <openclaw/provider_abi.h>

#include <boost/json.hpp>

#include <fstream>
#include <iostream>

namespace json = boost::json;
using namespace openclaw::qwen;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: write_manifest <output.json> <library file name>\n";
    return 2;
  }
  json::array providers;
  json::array env_vars;
  for (const auto* spec : all_providers()) {
    auto descriptor = json::parse(descriptor_json(*spec)).as_object();
    descriptor.erase("authChoices");
    providers.push_back(std::move(descriptor));
  }
  for (const auto name : env_vars_for(qwen_provider())) env_vars.emplace_back(name);
  json::array choices;
  for (const auto& choice : auth_choices()) {
    choices.push_back(json::object{{"id", choice.id},
                                   {"provider", choice.provider},
                                   {"label", choice.label},
                                   {"plan", choice.plan},
                                   {"region", choice.region},
                                   {"baseUrl", choice.base_url},
                                   {"legacy", choice.legacy},
                                   {"canonical", choice.canonical}});
  }
  const json::object manifest{
      {"manifestVersion", 1},
      {"id", "qwen"},
      {"name", "Qwen"},
      {"description", "Qwen Cloud (DashScope / Model Studio), Coding Plan and Qwen Portal providers"},
      {"version", "0.1.0"},
      {"library", argv[2]},
      {"abi", json::object{{"major", OC_ABI_VERSION_MAJOR}, {"minor", OC_ABI_VERSION_MINOR}}},
      {"arch", sizeof(void*) == 8 ? "64" : "32"},
      {"providers", std::move(providers)},
      {"envVars", std::move(env_vars)},
      {"authChoices", std::move(choices)}};
  std::ofstream out(argv[1], std::ios::trunc);
  out << json::serialize(manifest) << '\n';
  return out.good() ? 0 : 1;
}
