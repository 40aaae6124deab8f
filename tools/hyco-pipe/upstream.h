// A client byte connection for relay-http: TCP to the namespace, with TLS
// on top unless the namespace is a plain http:// one (hyco-relay without
// --tls). Plaintext in and out, flow control both ways; writes made before
// the connection is up wait in a bounded queue.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/fd_stream.h"
#include "core/io/socket_endpoint.h"
#include "core/io/tls_client.h"

namespace hyco::pipe {

class Upstream final : private FdStream::Events {
public:
    class Events {
    public:
        virtual ~Events() = default;
        /// Connected (and TLS established): writes go out from now on.
        virtual void upstream_open() = 0;
        virtual void upstream_data(std::string_view plain) = 0;
        /// The server ended the connection (after all its data).
        virtual void upstream_end() = 0;
        /// Cannot connect, TLS failed, a reset. Terminal.
        virtual void upstream_failed(const Error& why) = 0;
        /// Writable again after writable() was false.
        virtual void upstream_drained() = 0;
    };

    /// Bytes held before the connection is up, and the point where writable() turns false.
    static constexpr std::size_t kHighWater = FdStream::kHighWater;

    Upstream(EventLoop& loop, Events& events, SocketAddress target, bool tls, std::chrono::milliseconds timeout);
    ~Upstream() override;
    Upstream(const Upstream&) = delete;
    Upstream& operator=(const Upstream&) = delete;

    /// Starts connecting; reports upstream_open() or upstream_failed(), never inside this call.
    void connect();
    void write(std::string_view plain);
    bool writable() const;
    void pause(bool paused);
    /// No more events; the socket closes when this object is destroyed.
    void silence() { silenced_ = true; }
    bool is_open() const { return open_; }

private:
    void connected(int fd);
    void flush_tls();
    void fail(const Error& e);

    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_read_failed(FdStream&, const Error& error) override;
    void stream_drained(FdStream&) override;
    void stream_write_closed(FdStream&, const Error* error) override;

    EventLoop& loop_;
    Events& events_;
    SocketAddress target_;
    bool use_tls_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<SocketConnector> connector_;
    std::unique_ptr<FdStream> stream_;
    std::unique_ptr<TlsClient> tls_;
    std::string pending_;  ///< plaintext written before open
    bool open_ = false;
    bool paused_ = false;
    bool silenced_ = false;
    bool dead_ = false;
};

}  // namespace hyco::pipe
