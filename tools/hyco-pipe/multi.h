// Running many forwards in one process: every forward is a server (one of
// its addresses listens) on the one event loop, with its own log prefix
// ("[db] ..."), its own connection limit, and a life of its own: a forward
// that cannot start or fails later is logged and the others go on.
#pragma once

#include <vector>

#include "core/base/error.h"
#include "tools/hyco-pipe/config.h"

namespace hyco::pipe {

/// Runs until interrupted or until every forward has stopped. The status is
/// the interruption, or the first forward's failure when all have stopped.
Status run_forwards(const std::vector<PipeConfig>& forwards);

}  // namespace hyco::pipe
