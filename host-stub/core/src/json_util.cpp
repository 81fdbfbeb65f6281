#include "json_util.hpp"

namespace claw_host::detail {

std::string_view kind_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "true/false";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

std::string json_path_child(std::string_view parent, std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      plain = false;
      break;
    }
  }
  std::string path(parent);
  if (plain) {
    if (!path.empty()) path += '.';
    path += key;
  } else {
    path += "[\"";
    path += key;
    path += "\"]";
  }
  return path;
}

std::optional<std::string> string_member(const boost::json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

const boost::json::object* object_member(const boost::json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  return v == nullptr ? nullptr : v->if_object();
}

}  // namespace claw_host::detail
