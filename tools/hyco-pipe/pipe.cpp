// Running hyco-pipe (see pipe.h): the event loop, stdio hygiene, Ctrl-C,
// and either one session or a server.
#include "tools/hyco-pipe/pipe.h"

#include <optional>

#include "core/io/event_loop.h"
#include "core/io/fd_guard.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/server.h"

namespace hyco::pipe {
namespace {

Error interrupted() { return make_error(Exit::interrupted, "", "interrupted"); }

Status run_single(EventLoop& loop, const PipeConfig& config, const Log& log) {
    std::optional<Status> result;
    auto session = make_session(loop, config, log, 1, make_endpoint(loop, config, config.first),
                                make_endpoint(loop, config, config.second),
                                [&result](Copier&, const Status& st) { result = st; });
    session->start();
    bool aborted = false;
    loop.run_until([&] {
        if (loop.interrupted() && !aborted) {
            aborted = true;
            session->abort(interrupted());
        }
        return result.has_value();
    });
    return result.value_or(Status(interrupted()));
}

Status run_server(EventLoop& loop, const PipeConfig& config, const Log& log) {
    Server server(loop, config, log);
    if (auto st = server.start(); !st) return st;
    bool stopped = false;
    loop.run_until([&] {
        if (loop.interrupted() && !stopped) {
            stopped = true;
            server.stop(interrupted());
        }
        return server.done();
    });
    return server.result();
}

}  // namespace

Status run(const PipeConfig& config) {
    ensure_std_fds_open();
    // Adopting stdio makes the shared open file descriptions non-blocking;
    // the guard puts the flags back on every way out.
    FdFlagsGuard guard({0, 1});
    LoopOptions o;
    o.tls = config.client.tls;
    o.read_size = LoopOptions::kBulkReads;
    o.descriptor_table = descriptor_table(config.max_connections);
    auto loop = EventLoop::create(std::move(o));
    if (!loop) return loop.error();
    (*loop)->set_proxy(config.client.proxy);
    (*loop)->set_source_address(config.client.source);
    Log log(config.verbose, config.dump);
    if (config.relay)
        if (std::string via = config.client.proxy.via(config.relay->ns.host, config.relay->ns.tls); !via.empty())
            log.info("relay " + config.relay->ns.authority() + via);
    log.set_json(config.json);
    Status st = config.listener() ? run_server(**loop, config, log) : run_single(**loop, config, log);
    return st;
}

}  // namespace hyco::pipe
