// hyco-pipe: socat-style byte streams and port forwarding over Azure Relay.
#include "tools/common/tool.h"
#include "tools/hyco-pipe/flags.h"
#include "tools/hyco-pipe/multi.h"
#include "tools/hyco-pipe/pipe.h"

using namespace hyco;

int main(int argc, char** argv) {
    cli::Tool tool(pipe::tool_info());
    pipe::PipeFlags flags;
    flags.declare(tool);
    return tool.main(argc, argv, [&]() -> Status {
        if (flags.many()) {
            auto forwards = flags.resolve_forwards();
            if (!forwards) return forwards.error();
            return pipe::run_forwards(*forwards);
        }
        auto config = flags.resolve();
        if (!config) return config.error();
        return pipe::run(*config);
    });
}
