// dashscope-emulator: run the emulator by hand, e.g. to try the CLI against
// it. Default replies only; scripting is for tests that link the library.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "dashscope_emulator/emulator.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: dashscope-emulator [--port N] [--bind ADDR] [--tls] [--cert-dir DIR] [--key K]...\n"
    "\n"
    "Serves DashScope's chat, Wan video, task and Qwen Portal OAuth endpoints on\n"
    "loopback until SIGINT or SIGTERM.\n"
    "\n"
    "  --port N        port to listen on (default: an ephemeral port)\n"
    "  --bind ADDR     address to bind (default: 127.0.0.1)\n"
    "  --tls           serve HTTPS with a throwaway CA; its PEM path is printed\n"
    "  --cert-dir DIR  where the TLS PEM files go (default: a temporary directory)\n"
    "  --key K         accept only these bearer keys (repeatable; default: any key\n"
    "                  except sk-invalid)\n"
    "\n"
    "Prints \"listening on <origin>\" (and \"ca: <path>\" with --tls) once ready.\n";

int usage_error(std::string_view message) {
  std::cerr << "dashscope-emulator: " << message << "\n\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  dashscope_emulator::EmulatorOptions options;
  std::vector<std::string> keys;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--tls") {
      options.tls = true;
    } else if (arg == "--port") {
      const char* text = value();
      char* end = nullptr;
      const long port = text != nullptr ? std::strtol(text, &end, 10) : -1;
      if (text == nullptr || *end != '\0' || port < 0 || port > 65535) return usage_error("--port needs 0..65535");
      options.port = static_cast<int>(port);
    } else if (arg == "--bind") {
      const char* text = value();
      if (text == nullptr) return usage_error("--bind needs an address");
      options.bind = text;
    } else if (arg == "--cert-dir") {
      const char* text = value();
      if (text == nullptr) return usage_error("--cert-dir needs a directory");
      options.cert_dir = text;
    } else if (arg == "--key") {
      const char* text = value();
      if (text == nullptr || *text == '\0') return usage_error("--key needs a key");
      keys.emplace_back(text);
    } else {
      return usage_error("unknown argument: " + std::string(arg));
    }
  }

  // Block the stop signals before any server thread exists, so every thread
  // inherits the mask and only sigwait() below receives them. A shell starts
  // background jobs with SIGINT ignored, and an ignored signal is discarded
  // even while blocked, so restore the default action first.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    dashscope_emulator::Emulator emulator(options);
    for (auto& key : keys) emulator.add_valid_key(std::move(key));
    std::cout << "listening on " << emulator.origin() << '\n';
    if (emulator.tls()) std::cout << "ca: " << emulator.ca_cert_path() << '\n';
    std::cout.flush();

    int received = 0;
    sigwait(&stop_signals, &received);
    emulator.stop();
  } catch (const std::exception& error) {
    std::cerr << error.what() << '\n';  // already says "dashscope-emulator: ..."
    return 1;
  }
  return 0;
}
