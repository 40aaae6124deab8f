// Final answers: a complete response, then the connection closes. Every
// refusal carries the status the service uses and a reason phrase naming the
// failed check.
#pragma once

#include <string>
#include <string_view>

#include "core/http/refusal.h"
#include "tools/hyco-relay/conn.h"

namespace hyco::relay {

/// Sends a complete final response, then closes (input is discarded).
void answer_and_close(Conn& conn, std::string_view response);

/// Answers with a relay error and closes after sending it.
void refuse(Conn& conn, int status, const std::string& reason, bool head_only = false);
void refuse(Conn& conn, const http::Refusal& refusal, bool head_only = false);

/// The answer when every eligible listener's control channel is backed up.
void refuse_busy(Conn& conn, const std::string& entity, bool head_only);

}  // namespace hyco::relay
