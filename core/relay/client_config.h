// Settings every relay client connection shares (TLS, extra headers,
// subprotocols, timeouts), and the WebSocket target for a relay URI with
// a freshly minted token in its ServiceBusAuthorization header.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/auth/credentials.h"
#include "core/io/event_loop.h"
#include "core/auth/relay_uri.h"
#include "core/ws/ws_client.h"

namespace hyco {

/// How the control channel is kept alive. Ping is the default because its
/// answer also tells a dead channel (a NAT that forgot it) from a quiet one.
struct Keepalive {
    std::chrono::milliseconds interval{30000};
    KeepaliveFrame frame = KeepaliveFrame::ping;
};

struct ClientOptions {
    TlsOptions tls;
    std::vector<std::pair<std::string, std::string>> headers;  ///< -H, on relay handshakes
    std::vector<std::string> subprotocols;                     ///< offered (sender) / accepted (listener)
    WsTimeouts timeouts;
    ProxyConfig proxy;  ///< --proxy and the environment (given to the EventLoop)
    std::optional<SourceAddress> source;  ///< --source-address (given to the EventLoop)
    int verbose = 0;
};

/// A relay URI as a WebSocket target, with the token header (when the
/// credentials give one) and the user's extra headers.
WsTarget relay_ws_target(const RelayTarget& target, Action action, const UriParams& params,
                         const ClientOptions& options, std::int64_t now);

/// Progress and status lines go through this (stderr in the tools).
using LogSink = std::function<void(const std::string&)>;

}  // namespace hyco
