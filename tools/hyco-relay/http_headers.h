// Header and target rewriting between HTTP senders and listeners
// (docs/protocol.md §6): what is stripped, how repeats merge, where Via goes.
#pragma once

#include <string>
#include <string_view>

#include "core/relay/control_message.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// The sender's headers as a listener sees them: hop-by-hop and relay-auth
/// headers removed (Authorization only when `strip_authorization`), repeats
/// joined with ", ", and `Via: 1.1 {via_host}` appended.
control::Headers listener_request_headers(const HttpRequest& req, bool strip_authorization, std::string_view via_host);

/// The request target with every `sb-hc-*=` query parameter removed.
std::string listener_request_target(std::string_view target);

/// The status line and headers sent to an HTTP sender for a listener's
/// response. `framing` is added verbatim (e.g. "Transfer-Encoding: chunked\r\n").
/// Content-Length from the listener survives only for HEAD (`keep_length`).
std::string sender_response_head(int status, std::string_view description, const control::Headers& headers,
                                 std::string_view via_host, bool keep_length, std::string_view framing);

}  // namespace hyco::relay
