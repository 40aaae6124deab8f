// hyco-listen's run: holds the control channel, and for every accepted
// sender opens a rendezvous WebSocket joined by the core's copier to
// stdin/stdout (one at a time, like nc -l) or to a child process of its own
// (--exec, many at once); rejects when told to, when busy, or when the
// accept hook says so.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/relay/accept_info.h"
#include "core/relay/client_config.h"
#include "core/relay/relay_stream.h"

namespace hyco {

struct ListenerConfig {
    RelayTarget target;
    ClientOptions client;
    RelayStreamOptions stream;                   ///< framing, --no-close, --max-messages
    /// -X, --textdump: sees each message crossing the WebSocket.
    RelayStream::Tap tap;
    Keepalive keepalive;                         ///< of the control channel
    bool once = false;                           ///< exit when the first connection ends
    std::string exec;                            ///< --exec command; empty: stdin/stdout
    std::size_t max_connections = 64;            ///< with --exec
    std::string accept_cmd;                      ///< accept hook; exit 0 accepts
    std::chrono::milliseconds accept_timeout{10000};
    std::optional<Verdict> reject_all;           ///< maintenance: reject everyone
    LogSink log;                                 ///< human status lines (-v)
    LogSink json;                                ///< JSON status lines (--json)
    bool progress = false;
    LogSink progress_sink;
};

/// Runs until interrupted (130), the entity is unknown (404 -> 4), or with
/// --once the first connection ended (its status).
Status run_listener(const ListenerConfig& config);

}  // namespace hyco
