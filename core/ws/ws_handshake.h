// The client half of the WebSocket opening handshake (RFC 6455 §4.1): the
// target, the upgrade request we write, and the checks on the server's answer. Pure
// functions over bytes, so they are unit-tested without a socket.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/http/http_response_head.h"

namespace hyco {

/// Where to connect and what to put in the upgrade request.
struct WsTarget {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;
    std::string path;  ///< path and query, sent verbatim
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> subprotocols;  ///< offered, in order of preference

    std::string url() const;
};

/// Parses ws://, wss:// (or http/https) URLs such as a rendezvous address.
Result<WsTarget> parse_ws_url(std::string_view url);

/// A fresh Sec-WebSocket-Key: 16 random bytes, base64.
std::string new_websocket_key();

/// The whole upgrade request for `target` (Host, Upgrade, Connection, key,
/// version, offered subprotocols, then the target's extra headers).
std::string upgrade_request(const WsTarget& target, std::string_view key);

/// What a 101 answer agreed to, or why it is unacceptable.
struct UpgradeAnswer {
    bool ok = false;
    std::string subprotocol;  ///< the server's choice, empty if none
    std::string error;        ///< when !ok
};

/// Checks a 101 head: Upgrade: websocket, Connection: upgrade, the accept
/// hash of our key, no extensions (we offer none), and a subprotocol that
/// we offered, if any.
UpgradeAnswer check_upgrade(const HttpResponseHead& head, std::string_view key,
                            const std::vector<std::string>& offered);

/// The response headers a refused upgrade is explained by (relays put
/// their error codes in these), names in lower case.
std::vector<std::pair<std::string, std::string>> failure_headers(const HttpResponseHead& head);

}  // namespace hyco
