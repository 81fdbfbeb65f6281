// Where video jobs go: the DashScope AIGC origin for the configured chat base
// URL (the region decides it, whatever the plan; a custom base URL keeps its
// own origin), and the submit and task URLs under it.
#pragma once

#include "plugin_error.hpp"

#include <string>
#include <string_view>

namespace openclaw::qwen::video {

// eg "https://coding.dashscope.aliyuncs.com/v1" -> "https://dashscope.aliyuncs.com".
// Fails (OC_ERR_INVALID_ARGUMENT) for a base URL that is not http(s).
Result<std::string> aigc_origin_for(std::string_view chat_base_url);

// {origin}/api/v1/services/aigc/video-generation/video-synthesis
std::string submit_url(std::string_view aigc_origin);
// {origin}/api/v1/tasks/{task_id}
std::string task_url(std::string_view aigc_origin, std::string_view task_id);

// True when a task id is safe to put in a URL path: 1-128 of [A-Za-z0-9_-].
bool valid_task_id(std::string_view task_id);

// The AIGC host refuses Coding Plan keys (sk-sp-...). Turns an auth failure
// of a Coding Plan configuration (endpoint or key) into an error that says
// a Standard key is needed and names the auth choice for the region; other
// errors pass through unchanged.
PluginError explain_auth_failure(PluginError error, std::string_view chat_base_url, std::string_view api_key);

} // namespace openclaw::qwen::video
