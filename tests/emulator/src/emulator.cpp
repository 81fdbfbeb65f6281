// The public Emulator: owns the state, the TLS material and the server, wires
// the route families together, and exposes scripting to tests.
#include "dashscope_emulator/emulator.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "http_server.hpp"
#include "routes.hpp"
#include "shared_state.hpp"
#include "tls_material.hpp"
#include "wire.hpp"

namespace dashscope_emulator {

using detail::HttpRequest;
using detail::HttpResponse;

std::string RecordedRequest::header(std::string_view name) const { return detail::find_header(headers, name); }

bool RecordedRequest::has_header(std::string_view name) const { return detail::has_header(headers, name); }

namespace {

// A peer that vanishes while a TLS record is being written raises SIGPIPE
// (OpenSSL writes with write(2), not send(MSG_NOSIGNAL)). Only the default
// action is replaced: a handler the host program installed stays.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGPIPE, SIG_IGN);
  });
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dashscope-emulator-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("dashscope-emulator: cannot create a temporary directory");
  return pattern;
}

std::string host_for_url(const std::string& bind) {
  return bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
}

}  // namespace

struct Emulator::Impl {
  EmulatorOptions options;
  detail::State state;  // declared before the server: it must outlive the server's threads
  std::optional<detail::TlsMaterial> tls;
  std::filesystem::path owned_dir;  // removed on stop when we created it
  std::unique_ptr<detail::HttpServer> server;
  int port = 0;
  std::once_flag stopped;

  void stop() {
    std::call_once(stopped, [this] {
      state.stop.request_stop();  // wakes stalls first, so the server can drain
      if (server) server->stop();
      if (!owned_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(owned_dir, ec);
      }
    });
  }

  ~Impl() { stop(); }
};

Emulator::Emulator(EmulatorOptions options) : impl_(std::make_unique<Impl>()) {
  ignore_sigpipe();
  Impl& impl = *impl_;
  impl.options = std::move(options);
  if (impl.options.tls) {
    std::filesystem::path dir = impl.options.cert_dir;
    if (dir.empty()) {
      dir = make_temp_dir();
      impl.owned_dir = dir;
    } else {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) throw std::runtime_error("dashscope-emulator: cannot create " + dir.string() + ": " + ec.message());
    }
    impl.tls = detail::make_tls_material(dir, impl.options.bind);
  }

  impl.server = std::make_unique<detail::HttpServer>(impl.tls ? &*impl.tls : nullptr);
  detail::State& state = impl.state;
  impl.server->set_recorder([&state](const HttpRequest& request) { state.record(request); });
  impl.server->set_fallback([&state](const HttpRequest& request, int status) {
    const std::string request_id = state.new_uuid();
    if (status == 404) {
      return detail::native_error(404, "NotFound",
                                  request.method + " " + request.path + " is not served by the DashScope emulator.",
                                  request_id);
    }
    return detail::native_error(status, "BadRequest", "The request could not be processed.", request_id);
  });
  detail::add_chat_routes(*impl.server, state);
  detail::add_video_routes(*impl.server, state);
  detail::add_result_routes(*impl.server, state);
  detail::add_oauth_routes(*impl.server, state);

  impl.port = impl.server->bind(impl.options.bind, impl.options.port);
  // Routes read these, so they are set before the first request is accepted.
  state.host_port = host_for_url(impl.options.bind) + ":" + std::to_string(impl.port);
  state.origin = std::string(impl.tls ? "https://" : "http://") + state.host_port;
  impl.server->start();
}

Emulator::~Emulator() { stop(); }

void Emulator::stop() { impl_->stop(); }

int Emulator::port() const { return impl_->port; }

bool Emulator::tls() const { return impl_->tls.has_value(); }

std::string Emulator::origin() const { return impl_->state.origin; }

std::string Emulator::compatible_base_url() const { return origin() + "/compatible-mode/v1"; }

std::string Emulator::coding_base_url() const { return origin() + "/v1"; }

std::string Emulator::ca_cert_path() const { return impl_->tls ? impl_->tls->ca_cert_path.string() : std::string(); }

std::vector<RecordedRequest> Emulator::requests() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.requests;
}

std::vector<RecordedRequest> Emulator::requests(std::string_view path) const {
  std::vector<RecordedRequest> out;
  std::lock_guard lock(impl_->state.mutex);
  for (const auto& request : impl_->state.requests) {
    if (request.path == path) out.push_back(request);
  }
  return out;
}

void Emulator::clear_requests() {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.requests.clear();
}

void Emulator::add_valid_key(std::string key) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.denied_keys.erase(key);
  impl_->state.valid_keys.insert(std::move(key));
}

void Emulator::deny_key(std::string key) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.valid_keys.erase(key);
  impl_->state.oauth_access_tokens.erase(key);
  impl_->state.denied_keys.insert(std::move(key));
}

void Emulator::push_chat(ChatScript script) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.chat_scripts.push_back(std::move(script));
}

void Emulator::set_models_unsupported_on_plan(std::vector<std::string> models) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.unsupported_models = {std::make_move_iterator(models.begin()), std::make_move_iterator(models.end())};
}

std::size_t Emulator::pending_chat_scripts() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.chat_scripts.size();
}

void Emulator::push_video(VideoScript script) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.video_scripts.push_back(std::move(script));
}

void Emulator::set_default_result_size(std::size_t bytes) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.default_result_size = bytes;
}

std::size_t Emulator::pending_video_scripts() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.video_scripts.size();
}

int Emulator::task_polls(std::string_view task_id) const {
  std::lock_guard lock(impl_->state.mutex);
  const auto found = impl_->state.tasks.find(task_id);
  return found == impl_->state.tasks.end() ? 0 : found->second.polls;
}

void Emulator::push_device_auth(DeviceAuthScript script) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.device_scripts.push_back(std::move(script));
}

void Emulator::push_refresh(RefreshScript script) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.refresh_scripts.push_back(std::move(script));
}

void Emulator::add_refresh_token(std::string refresh_token) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.refresh_tokens.insert(std::move(refresh_token));
}

int Emulator::refresh_calls() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.refresh_calls;
}

std::vector<std::string> Emulator::issued_access_tokens() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.issued_access_tokens;
}

std::vector<std::string> Emulator::issued_refresh_tokens() const {
  std::lock_guard lock(impl_->state.mutex);
  return impl_->state.issued_refresh_tokens;
}

}  // namespace dashscope_emulator
