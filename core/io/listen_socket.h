// A listening TCP or Unix stream socket on the event loop: accepted
// connections are handed over as non-blocking descriptors; accepting can be
// paused (connection limits) so that further clients wait in the backlog.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/socket_endpoint.h"

namespace hyco {

class ListenSocket final : public LwsHandler {
public:
    /// A new connection: a non-blocking, close-on-exec descriptor the
    /// receiver now owns, and the peer's name for logs.
    using Accept = std::function<void(int fd, const std::string& peer)>;

    /// Binds and listens. A Unix socket file left by a dead process is
    /// replaced (a live one is refused) and removed again on destruction.
    static Result<std::unique_ptr<ListenSocket>> open(EventLoop& loop, const SocketAddress& where, Accept accept);
    ~ListenSocket() override;
    ListenSocket(const ListenSocket&) = delete;
    ListenSocket& operator=(const ListenSocket&) = delete;

    /// Stops (true) or resumes (false) accepting.
    void pause(bool paused);
    /// Where it listens, with the real port when 0 was asked for.
    const std::string& local_name() const { return local_name_; }

    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;

private:
    explicit ListenSocket(Accept accept) : accept_(std::move(accept)) {}

    Accept accept_;
    lws* wsi_ = nullptr;
    std::string local_name_;
    std::string unlink_path_;
    bool unix_ = false;
    bool paused_ = false;
};

}  // namespace hyco
