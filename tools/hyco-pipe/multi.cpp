// Many forwards on one event loop (see multi.h).
#include "tools/hyco-pipe/multi.h"

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/io/event_loop.h"
#include "core/io/fd_guard.h"
#include "tools/hyco-pipe/log.h"
#include "tools/hyco-pipe/server.h"

namespace hyco::pipe {
namespace {

struct Running {
    std::unique_ptr<Log> log;
    std::unique_ptr<Server> server;
    bool over = false;
};

}  // namespace

Status run_forwards(const std::vector<PipeConfig>& forwards) {
    ensure_std_fds_open();
    FdFlagsGuard guard({0, 1});
    LoopOptions o;
    o.tls = forwards.front().client.tls;
    o.read_size = LoopOptions::kBulkReads;
    std::size_t sessions = 0;
    for (const PipeConfig& f : forwards) sessions += f.max_connections;
    o.descriptor_table = descriptor_table(sessions);
    auto loop = EventLoop::create(std::move(o));
    if (!loop) return loop.error();
    std::vector<Running> running;
    std::optional<Error> first_failure;
    for (const PipeConfig& f : forwards) {
        Running r;
        r.log = std::make_unique<Log>(f.verbose, f.dump);
        r.log->set_json(f.json);
        r.log->set_prefix(f.name);
        r.server = std::make_unique<Server>(**loop, f, *r.log);
        if (auto st = r.server->start(); !st) {
            r.log->warn("cannot start: " + st.error().message());
            if (!first_failure) first_failure = st.error();
            continue;
        }
        running.push_back(std::move(r));
    }
    if (running.empty()) return *first_failure;
    bool stopped = false;
    (*loop)->run_until([&] {
        if ((*loop)->interrupted() && !stopped) {
            stopped = true;
            for (Running& r : running) r.server->stop(make_error(Exit::interrupted, "", "interrupted"));
        }
        bool all_over = true;
        for (Running& r : running) {
            if (!r.over && r.server->done()) {
                r.over = true;
                Status st = r.server->result();
                if (!st && st.error().code != Exit::interrupted) {
                    r.log->warn("stopped: " + st.error().message());
                    if (!first_failure) first_failure = st.error();
                }
            }
            all_over = all_over && r.over;
        }
        return all_over;
    });
    if (stopped) return make_error(Exit::interrupted, "", "interrupted");
    if (first_failure) return *first_failure;
    return {};
}

}  // namespace hyco::pipe
