// hyco-send's run: stdio (or the -m messages) joined to one relay
// connection by the core's copier; the way it ended becomes the exit status.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/relay/client_config.h"
#include "core/relay/relay_stream.h"

namespace hyco {

struct SenderConfig {
    RelayTarget target;
    ClientOptions client;
    RelayStreamOptions stream;          ///< framing, --no-close, --max-messages, --linger
    bool read_input = true;             ///< false: -U (or -m): stdin is not read
    /// -X, --textdump: sees each message crossing the WebSocket.
    RelayStream::Tap tap;
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
/// `stdin_fd`/`stdout_fd` are descriptors the run owns (dups).
Status run_sender(const SenderConfig& config, int stdin_fd, int stdout_fd);

}  // namespace hyco
