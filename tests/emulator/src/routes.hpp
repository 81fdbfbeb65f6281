// Route families of the emulator, one file each.
#pragma once

namespace dashscope_emulator::detail {

class HttpServer;
struct State;

// POST /compatible-mode/v1/chat/completions and POST /v1/chat/completions.
void add_chat_routes(HttpServer& server, State& state);
// Wan video: async submit, task status, cancel.
void add_video_routes(HttpServer& server, State& state);
// GET /results/{name}: the OSS-like download of finished videos.
void add_result_routes(HttpServer& server, State& state);
// Qwen Portal OAuth: device code, token (device and refresh grants), /authorize.
void add_oauth_routes(HttpServer& server, State& state);

}  // namespace dashscope_emulator::detail
