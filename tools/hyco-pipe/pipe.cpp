// Placeholder until the endpoints land.
#include "tools/hyco-pipe/pipe.h"

namespace hyco::pipe {

Status run(const PipeConfig&) { return make_error(Exit::failure, "hyco-pipe", "not implemented yet"); }

}  // namespace hyco::pipe
