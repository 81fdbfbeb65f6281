#include "cancellation.hpp"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace claw_host {

namespace {

std::atomic<int> g_interrupts{0};
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

extern "C" void on_interrupt(int) {
  if (g_interrupts.fetch_add(1) >= 1) _exit(130); // second Ctrl-C: leave now
}

int32_t OC_ABI is_cancelled(void*) { return g_interrupts.load() > 0 ? 1 : 0; }

} // namespace

InterruptToken::InterruptToken() {
  g_interrupts = 0;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
  token_.struct_size = sizeof token_;
  token_.is_cancelled = is_cancelled;
}

InterruptToken::~InterruptToken() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

bool InterruptToken::interrupted() const { return g_interrupts.load() > 0; }

} // namespace claw_host
