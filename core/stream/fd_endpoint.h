// Streams over file descriptors (I/O in core/io/fd_stream.h):
// already-open descriptors (stdio, accepted sockets), sockets that connect
// first (tcp:, unix:), and commands run through /bin/sh -c (exec:).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <sys/types.h>

#include "core/io/event_loop.h"
#include "core/io/fd_stream.h"
#include "core/io/socket_endpoint.h"
#include "core/stream/stream.h"

namespace hyco {

class FdEndpoint : public Stream, private FdStream::Events {
public:
    /// Wraps descriptors the endpoint will own (-1: no such side); they may
    /// be one socket. Nothing happens until open().
    FdEndpoint(EventLoop& loop, int read_fd, int write_fd, std::string name);
    ~FdEndpoint() override;

    void open(Stream::Events& events) override;
    void write(std::string_view bytes) override;
    bool writable() const override;
    void close_write() override;
    void pause(bool paused) override;
    void close_read() override;
    bool all_written() const override;
    std::string describe() const override { return name_; }
    void finish(bool clean, std::function<void(Status)> done) override;

protected:
    /// For subclasses that obtain their descriptors while opening.
    FdEndpoint(EventLoop& loop, std::string name);
    /// Wraps the descriptors and reports opened() (or failed()).
    void start(int read_fd, int write_fd);
    void fail(const Error& e);

    EventLoop& loop_;
    Stream::Events* events_ = nullptr;
    std::string name_;
    /// Deferred calls check it: the endpoint may be gone by then.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

private:
    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_read_failed(FdStream&, const Error& error) override;
    void stream_drained(FdStream&) override;
    void stream_write_closed(FdStream&, const Error* error) override;

    std::unique_ptr<FdStream> stream_;
    std::array<int, 2> fds_{-1, -1};  ///< the descriptors the stream owns
    std::uint64_t handed_ = 0;        ///< bytes given to write()
    int read_fd_ = -1;
    int write_fd_ = -1;
    bool dead_ = false;
};

/// tcp:HOST:PORT and unix:PATH: connects, then behaves as an FdEndpoint.
class ConnectEndpoint final : public FdEndpoint {
public:
    ConnectEndpoint(EventLoop& loop, SocketAddress target, std::chrono::milliseconds timeout);
    void open(Stream::Events& events) override;

private:
    SocketAddress target_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<SocketConnector> connector_;
};

/// exec:COMMAND: /bin/sh -c COMMAND with its stdin and stdout as the stream
/// (stderr inherited). finish() reports a non-zero exit status as an error
/// and stops a command that outlives its session.
class ExecEndpoint final : public FdEndpoint {
public:
    ExecEndpoint(EventLoop& loop, std::string command);
    ~ExecEndpoint() override;
    void open(Stream::Events& events) override;
    void finish(bool clean, std::function<void(Status)> done) override;
    void when_exited(std::function<void(std::optional<eos::RemoteExit>)> fn) override;
    std::string describe() const override;

private:
    void poll_exit(int attempts_left, std::function<void(Status)> done);
    Status verdict(int wstatus) const;

    std::string command_;
    pid_t pid_ = -1;
    std::optional<int> exit_status_;  ///< reaped by when_exited()
    Timer reap_timer_;
};

/// Duplicates fds 0 and 1 into a stdio stream (the originals stay open).
std::unique_ptr<Stream> make_stdio_endpoint(EventLoop& loop);

}  // namespace hyco
