// The sender side of a Hybrid Connection: one WebSocket to the relay's
// connect URI, copied to and from a byte stream (stdin/stdout), or a few
// messages given up front (-m) and the replies they get.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/relay/client_config.h"
#include "core/stream/session.h"

namespace hyco {

struct SenderConfig {
    RelayTarget target;
    ClientOptions client;
    SessionOptions session;
    std::string suffix;                 ///< path below the entity
    std::string query;                  ///< application query (encoded)
    std::vector<std::string> messages;  ///< -m: send these instead of reading input
    std::optional<std::chrono::milliseconds> wait;  ///< with -m: close after this long
    bool progress = false;
    LogSink log;                        ///< verbose and progress lines
    LogSink progress_sink;              ///< progress meter output (stderr, \r lines)
    LogSink json;                       ///< --json: event lines (stderr)
    std::optional<std::uint64_t> input_size;  ///< for ETA, when known
};

/// Runs until the connection ends; the Status carries the exit code.
/// `stdin_fd`/`stdout_fd` are descriptors the session may own (dups).
Status run_sender(const SenderConfig& config, int stdin_fd, int stdout_fd);

}  // namespace hyco
