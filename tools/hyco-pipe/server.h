// Server mode: a listening address accepts connections, and each one is
// joined by a copier to a fresh instance of the other address. Sessions
// are independent: one failing is logged and never disturbs the others.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "core/stream/copier.h"
#include "tools/hyco-pipe/endpoints.h"
#include "tools/hyco-pipe/log.h"

namespace hyco::pipe {

class Server {
public:
    Server(EventLoop& loop, const PipeConfig& config, const Log& log);
    ~Server();

    /// Opens the listening address. Errors: cannot listen.
    Status start();
    /// Stops accepting and ends every session (Ctrl-C).
    void stop(const Error& why);
    /// True when the server has nothing left to do (--once served, stopped).
    bool done() const;
    /// The exit status: the served session's (--once), else the stop reason.
    Status result() const { return result_; }

private:
    void accepted(std::unique_ptr<Stream> stream, const std::string& peer, const Address* forward);
    void session_done(std::uint64_t id, const Status& st);
    void update_pause();

    EventLoop& loop_;
    const PipeConfig& config_;
    const Log& log_;
    const Address& listening_;
    const Address& other_;
    bool single_ = false;  ///< --once, or the other address is stdio
    std::unique_ptr<Acceptor> acceptor_;
    std::map<std::uint64_t, std::unique_ptr<Copier>> sessions_;
    std::uint64_t next_id_ = 1;
    std::uint64_t served_ = 0;
    bool stopping_ = false;
    Status result_;
};

/// Opens and runs one session between the two addresses (no listener).
/// `log_open`: a line is logged when both ends are open.
std::unique_ptr<Copier> make_session(EventLoop& loop, const PipeConfig& config, const Log& log, std::uint64_t id,
                                     std::unique_ptr<Stream> first, std::unique_ptr<Stream> second,
                                     Copier::Done done);

}  // namespace hyco::pipe
