// Streams over file descriptors (I/O in core/io/fd_stream.h):
// already-open descriptors (stdio, accepted sockets), sockets that connect
// first (tcp:, unix:), and commands (hyco-pipe exec:, hyco-listen -e).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <sys/types.h>

#include "core/base/lifetime.h"
#include "core/io/child_process.h"
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
    void poll_input() override;
    bool reader_gone_ends_session() const override { return reader_gone_ends_; }
    std::string describe() const override { return name_; }
    /// Output still queued is written out first (what arrived before a
    /// failure is kept), except to a socket after a failure: that gets a
    /// reset, so its peer never takes a cut stream for a whole one.
    void finish(bool clean, std::function<void(Status)> done) override;

    /// Stdout: its reader leaving ends the session (see Stream).
    void end_session_when_reader_leaves() { reader_gone_ends_ = true; }

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
    Lifetime alive_;

private:
    void stream_data(FdStream&, std::string_view bytes) override;
    void stream_eof(FdStream&) override;
    void stream_read_failed(FdStream&, const Error& error) override;
    void stream_drained(FdStream&) override;
    void stream_write_closed(FdStream&, const Error* error) override;

    void closed_all(Status st);

    std::unique_ptr<FdStream> stream_;
    std::array<int, 2> fds_{-1, -1};  ///< the descriptors the stream owns
    std::uint64_t handed_ = 0;        ///< bytes given to write()
    int read_fd_ = -1;
    int write_fd_ = -1;
    bool dead_ = false;
    bool reader_gone_ends_ = false;
    bool write_finished_ = false;  ///< the write side reported its end
    std::function<void(Status)> flushed_;  ///< finish() waits for the output to go out
    Timer flush_limit_;
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

/// A command with its stdin and stdout as the stream (stderr inherited),
/// in its own process group. When its output ends, the copier waits for its
/// exit status (a relay peer hears it). finish() reports a non-zero exit
/// status as an error, gives a command that outlives its session two
/// seconds, then stops its whole group (TERM, and KILL a second later).
class ExecEndpoint final : public FdEndpoint {
public:
    /// Starts `spec` when opened; `name` leads its errors ("exec:CMD").
    ExecEndpoint(EventLoop& loop, ChildSpec spec, std::string name);
    /// Adopts a child already started (hyco-listen rejects a sender whose
    /// command cannot start before it accepts the connection).
    ExecEndpoint(EventLoop& loop, Child child, std::string name);
    ~ExecEndpoint() override;
    void open(Stream::Events& events) override;
    void finish(bool clean, std::function<void(Status)> done) override;
    void when_exited(std::function<void(std::optional<eos::RemoteExit>)> fn) override;
    std::string describe() const override;

    /// The command's wait status, once reaped.
    std::optional<int> exit_status() const { return exit_status_; }

private:
    void watch();
    void exited(int wstatus);
    void escalate(std::chrono::milliseconds after, int signo);
    Status verdict(int wstatus) const;

    std::optional<ChildSpec> spec_;
    Child child_;
    pid_t pid_ = -1;                  ///< running (watched by the loop's reaper)
    std::optional<int> exit_status_;  ///< once reaped
    std::function<void(std::optional<eos::RemoteExit>)> exit_waiter_;
    std::function<void(Status)> finish_waiter_;
    Timer stop_timer_;  ///< SIGTERM, then SIGKILL, for a command that does not exit
};

/// Duplicates fds 0 and 1 into a stdio stream (the originals stay open);
/// stdout's reader leaving ends the session.
std::unique_ptr<FdEndpoint> make_stdio_endpoint(EventLoop& loop, std::string name = "stdio");

}  // namespace hyco
