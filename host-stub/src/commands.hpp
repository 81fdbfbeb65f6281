// One function per claw-host command; each lives in its own command_*.cpp.
#pragma once

#include "host_session.hpp"

#include <string>
#include <vector>

namespace claw_host {

using Args = std::vector<std::string>;

int run_plugins(HostSession& session, const Args& args);
int run_providers(HostSession& session, const Args& args);
int run_models(HostSession& session, const Args& args);
int run_onboard(HostSession& session, const Args& args);
int run_login(HostSession& session, const Args& args);
int run_auth(HostSession& session, const Args& args);
int run_chat(HostSession& session, const Args& args);
int run_doctor(HostSession& session, const Args& args);
int run_understand(HostSession& session, const Args& args);
int run_video(HostSession& session, const Args& args);

} // namespace claw_host
