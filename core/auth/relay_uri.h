// Relay addresses: the namespace a client talks to, entity-path validation and
// the listener / sender / HTTP URIs of docs/protocol.md §1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace hyco {

/// Where a relay namespace is reached.
struct Namespace {
    std::string host;          ///< e.g. contoso.servicebus.windows.net or 127.0.0.1
    std::uint16_t port = 0;    ///< 0: the scheme's default (443 or 80)
    bool tls = true;           ///< false only for the development emulator (ws://)

    std::uint16_t effective_port() const { return port ? port : (tls ? 443 : 80); }
    /// host[:port] as written in URIs (port only when not the default).
    std::string authority() const;
};

/// Accepts `contoso` (-> contoso.servicebus.windows.net), a host name,
/// `host:port`, or a `sb://`, `wss://`, `ws://`, `https://`, `http://` URI.
/// ws:// and http:// (or `emulator`) select plain, unencrypted WebSocket.
Result<Namespace> parse_namespace(std::string_view text, bool emulator = false);

/// Checks an entity path (`hyco`, `team/a b`): non-empty, no empty, `.` or
/// `..` segments, valid UTF-8 without control characters, at most 260 bytes.
/// Leading and trailing slashes are removed.
Result<std::string> normalize_entity_path(std::string_view path);

/// Percent-encodes each segment of an entity path, keeping the slashes.
std::string encode_entity_path(std::string_view path);

enum class Action { listen, connect, http };

/// What goes into a relay URI besides namespace and entity.
struct UriParams {
    std::string id;                     ///< sb-hc-id (omitted when empty)
    std::optional<std::string> token;   ///< embedded as sb-hc-token when set
    std::string suffix;                 ///< extra path below the entity, e.g. "sub/dir"
    std::string query;                  ///< application query, already encoded, without '?'
};

/// A relay URI split the way a WebSocket client needs it.
struct Endpoint {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;
    std::string path;   ///< path and query, ready for the request line
    bool http = false;  ///< http(s) rather than ws(s)

    std::string url() const;
};

/// Builds the listener (`listen`), sender (`connect`) or HTTP sender URI.
Endpoint relay_endpoint(const Namespace& ns, std::string_view entity, Action action, const UriParams& params);

/// The audience hyco signs: `http://{host}/{entity}/` (see docs/design.md),
/// or `http://{host}/` for a namespace-wide token when `entity` is empty.
std::string audience_uri(const Namespace& ns, std::string_view entity);

/// A resource a token names or a target it is checked against, reduced to what
/// the service compares: host (case-folded) and decoded path segments with any
/// leading `$hc` removed. Scheme, port, query and trailing slash are ignored.
struct Audience {
    std::string host;
    std::vector<std::string> segments;
};

Result<Audience> parse_audience(std::string_view uri);

/// True when a token for `token` is valid for `target`: same host and the
/// token's path is a whole-segment prefix of the target's (case-insensitive).
bool audience_covers(const Audience& token, const Audience& target);

}  // namespace hyco
