// hyco-listen's engine: holds the control channel, and for every accepted
// sender opens a rendezvous WebSocket joined to stdin/stdout (one at a
// time, like nc -l) or to a child process of its own (--exec, many at
// once); rejects when told to, when busy, or when the accept hook says so.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/base/error.h"
#include "core/relay/accept_info.h"
#include "core/relay/client_config.h"
#include "core/stream/session.h"

namespace hyco {

struct ListenerConfig {
    RelayTarget target;
    ClientOptions client;
    SessionOptions session;
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
