// From addresses to streams: a factory for the addresses that are opened
// once per session (tcp:, exec:, relay-connect:, ...), and acceptors for
// the listening ones, which produce one stream per incoming connection.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/log.h"
#include "core/stream/stream.h"

namespace hyco::pipe {

/// Builds a fresh, unopened stream for a non-listening address.
std::unique_ptr<Stream> make_endpoint(EventLoop& loop, const PipeConfig& config, const Address& address);

/// The listening side of server mode.
class Acceptor {
public:
    /// A new connection as a stream (unopened), with the peer's name.
    using Accepted = AcceptedFn;
    /// The acceptor cannot go on (e.g. the relay refused the listener).
    using Failed = AcceptFailedFn;

    virtual ~Acceptor() = default;
    /// Stops (true) or resumes (false) taking connections.
    virtual void pause(bool paused) = 0;
    /// Where it listens, for logs.
    virtual std::string describe() const = 0;
};

/// Opens the acceptor for a listening address. Errors: cannot listen.
Result<std::unique_ptr<Acceptor>> open_acceptor(EventLoop& loop, const PipeConfig& config, const Address& address,
                                                const Log& log, Acceptor::Accepted accepted, Acceptor::Failed failed);

}  // namespace hyco::pipe
