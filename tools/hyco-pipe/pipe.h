// Running hyco-pipe: one stream between two addresses, or a server that
// gives every accepted connection a fresh instance of the other address.
#pragma once

#include "core/base/error.h"
#include "tools/hyco-pipe/config.h"

namespace hyco::pipe {

/// Runs until the stream ends (or, in server mode, until interrupted or
/// --once is satisfied). The Status carries the exit code.
Status run(const PipeConfig& config);

}  // namespace hyco::pipe
