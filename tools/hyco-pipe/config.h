// What one hyco-pipe run does, resolved from the command line: two parsed
// addresses, the copy direction, timeouts, server limits and (when an
// address is on the relay) the relay target. Immutable once built.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "core/auth/credentials.h"
#include "core/base/error.h"
#include "core/relay/client_config.h"
#include "core/stream/copier.h"
#include "tools/common/traffic_dump.h"
#include "tools/hyco-pipe/address.h"

namespace hyco::pipe {

struct PipeConfig {
    std::string name;  ///< many forwards: the forward's name, prefixed to its log lines
    Address first;
    Address second;
    Direction direction = Direction::both;
    /// After one direction ends, end the session this long later even if the
    /// other direction is still open (-t). Zero: wait for both.
    std::chrono::milliseconds linger{0};
    /// End a session after this long without a byte either way (-T). Zero: never.
    std::chrono::milliseconds idle{0};
    /// relay-listen: an HTTP request whose response has not begun by then is given up.
    std::chrono::milliseconds http_timeout{65000};
    std::size_t max_connections = 64;  ///< server mode: sessions at once
    bool once = false;                 ///< server mode: serve one connection, then exit
    int verbose = 0;                   ///< -v: connection open/close and byte counts
    cli::DumpFlags dump;               ///< -X, --textdump: traffic dumps on stderr
    bool json = false;                 ///< --json: one JSON line per session end on stderr
    std::optional<RelayTarget> relay;  ///< set when an address is on the relay
    ClientOptions client;              ///< TLS, headers, timeouts (also for tcp: connects)
    Keepalive keepalive;               ///< relay-listen: of the control channel

    /// The listening address, if any (server mode).
    const Address* listener() const;
    /// The address instantiated per connection in server mode.
    const Address& other(const Address& a) const { return &a == &first ? second : first; }
    /// The address paired with `a`; nullptr for one that is neither of the
    /// pair (an azbridge forward).
    const Address* partner(const Address& a) const { return &a == &first || &a == &second ? &other(a) : nullptr; }
};

/// The descriptors a loop serving `sessions` at once may hold (a session holds
/// at most four: two sockets, or a socket and a command's two pipes), with
/// room for its own and for HTTP requests in flight. lws's table is sized by
/// it, not by `ulimit -n` (see LoopOptions::descriptor_table).
constexpr std::size_t descriptor_table(std::size_t sessions) { return 256 + 8 * sessions; }


}  // namespace hyco::pipe
