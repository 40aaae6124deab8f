// Running hyco-pipe: one stream between two addresses, or a server that
// gives every accepted connection a fresh instance of the other address.
#pragma once

#include <cstddef>

#include "core/base/error.h"
#include "tools/hyco-pipe/config.h"

namespace hyco::pipe {

/// hyco-pipe's loops read up to this much at a time: a forwarder moves bulk
/// data from socket to socket (see LoopOptions::read_size).
constexpr std::size_t kPipeReadSize = 256 * 1024;

/// Runs until the stream ends (or, in server mode, until interrupted or
/// --once is satisfied). The Status carries the exit code.
Status run(const PipeConfig& config);

}  // namespace hyco::pipe
