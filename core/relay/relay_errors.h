// What a refused or failed relay connection means for the user: the HTTP
// status of a refused upgrade mapped to hyco's exit codes (401/403 -> 3,
// 404 -> 4, timeouts -> 5, a listener's rejection -> 6).
#pragma once

#include <string>

#include "core/base/error.h"
#include "core/ws/ws_client.h"

namespace hyco {

/// True when a refused sender upgrade carries the listener's own status
/// (a rejection) rather than an error of the relay itself: a
/// `Hyco-Rejected-By: listener` header if the relay sends one; otherwise
/// relay errors are recognised by their reason phrase, which starts with an
/// error-code word (`EndpointNotFound: ...`), or by a status only the relay
/// uses (401, 404, 408, 504).
bool is_listener_rejection(const WsClose& close);

/// A reason phrase without the relay's " TrackingId:..." tail.
std::string without_tracking(std::string reason);

/// The error a sender reports for a connection that never opened.
Error sender_connect_error(const WsClose& close, const std::string& what);

/// The error a listener reports when its control channel is refused;
/// `fatal` is set for 404 (the entity does not exist: stop retrying).
Error listener_connect_error(const WsClose& close, const std::string& what, bool& fatal);

}  // namespace hyco
