// Helpers for talking about JSON documents in messages. Private to the library.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace claw_host::detail {

// "a string", "a number", "an object", ... for "found <kind>" messages.
std::string_view kind_name(const boost::json::value& v);

// Appends a key to a dotted path; keys that are not plain identifiers are
// bracketed: models.providers["my.provider"].
std::string json_path_child(std::string_view parent, std::string_view key);

// The string at `key`, if present and a string.
std::optional<std::string> string_member(const boost::json::object& object, std::string_view key);

// The object at `key`, if present and an object; nullptr otherwise.
const boost::json::object* object_member(const boost::json::object& object, std::string_view key);

}  // namespace claw_host::detail
