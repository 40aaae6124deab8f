// Building the relay's own HTTP answers: WebSocket 101s, error responses with
// a useful reason phrase and the service's JSON error body, and the checks a
// WebSocket upgrade request must pass.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// Standard reason phrase of a status code ("Gone"), or "Status".
std::string_view default_reason(int status);

/// A reason phrase safe to put on a status line: printable ASCII/UTF-8, no
/// CR/LF, bounded. Falls back to the default phrase when empty.
std::string clean_reason(int status, std::string_view reason);

/// The service's error code name for a status ("EndpointNotFound", ...).
std::string_view error_code_name(int status);

/// A complete error response: reason phrase plus a TrackingId, JSON body
/// {"error":{"code","message"}}, Connection: close. `head_only` omits the
/// body (HEAD requests).
std::string error_response(int status, std::string_view reason, bool head_only = false,
                           std::string_view extra_headers = {});

/// The 101 answer to a WebSocket upgrade; `protocol` may be empty.
std::string upgrade_response(std::string_view sec_websocket_key, std::string_view protocol);

/// Checks that `req` is a valid RFC 6455 upgrade. Returns an empty string
/// when it is; else the reason, with `status` 400 or 426.
std::optional<http::Refusal> check_upgrade(const HttpRequest& req);

/// True if a comma-separated list (Sec-WebSocket-Protocol) contains `item`.
bool list_contains(std::string_view list, std::string_view item);

}  // namespace hyco::relay
