// Request heads: every connection starts by reading one, and it is routed
// to the status endpoint, a $hc WebSocket action, a management GET or the
// HTTP gateway.
#pragma once

#include <chrono>
#include <memory>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// How long a client has to send a whole request head (then 408, or a
/// silent close when it sent nothing: an idle keep-alive connection).
inline constexpr std::chrono::milliseconds kHeadTimeout{30000};

/// The handler every new connection starts with: reads one request head,
/// then routes it.
std::unique_ptr<Handler> make_head_reader(Conn& conn);

/// The handler of a connection accepted beyond --max-connections: answers
/// its first request 503 with Retry-After (after the TLS handshake, if any),
/// or drops it if nothing arrives within Conn::kLinger.
std::unique_ptr<Handler> make_overload_answer(Conn& conn);

/// Routes a parsed request head (the head's bytes already removed from in).
void route(Conn& conn, HttpRequest request);

}  // namespace hyco::relay
