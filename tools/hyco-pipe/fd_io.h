// Non-blocking I/O on one or two file descriptors in the event loop (the
// lws raw-file role): reads paused and resumed on request, writes queued
// and flushed on WRITEABLE, half-close by shutdown(SHUT_WR) or close.
//
// An adapter standing in for the client core's FdStream, which stalls on
// lws 4.1.6: the raw-file role clears POLLOUT *after* the WRITEABLE callback,
// so a writer that hits EAGAIN and asks for WRITEABLE again from inside the
// callback never hears back. Here that request is repeated after the
// callback returns. Read errors other than EAGAIN are reported as errors,
// not as end of input, so a reset connection is never taken for a clean end.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/event_loop.h"

namespace hyco::pipe {

class FdIo final {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void io_data(std::string_view bytes) = 0;
        virtual void io_eof() = 0;
        virtual void io_drained() = 0;
        /// The write side finished: flushed after close_write(), or the
        /// reader went away (EPIPE). Not an error.
        virtual void io_write_closed() = 0;
        /// A read or write error: the stream is broken.
        virtual void io_failed(const Error& error) = 0;
    };

    static constexpr std::size_t kReadChunk = 64 * 1024;
    static constexpr std::size_t kHighWater = 1024 * 1024;
    static constexpr std::size_t kLowWater = 256 * 1024;

    /// Takes ownership of the descriptors (-1: no such side; equal: a socket).
    FdIo(EventLoop& loop, Events& events, int read_fd, int write_fd, std::string name);
    ~FdIo();
    FdIo(const FdIo&) = delete;
    FdIo& operator=(const FdIo&) = delete;

    Status start();
    void pause(bool paused);
    void write(std::string_view bytes);
    void close_write();
    void close_read();
    bool writable() const { return queued_ < kHighWater; }

private:
    class Side;
    int on_readable(int fd);
    void on_closed(Side* side, int fd);
    int on_writeable(int fd);
    void rearm();
    void end_write();
    void fail(const std::string& what, int err);

    EventLoop& loop_;
    Events& events_;
    int read_fd_;
    int write_fd_;
    std::string name_;
    std::unique_ptr<Side> reader_side_;
    std::unique_ptr<Side> writer_side_;
    lws* reader_ = nullptr;
    lws* writer_ = nullptr;
    std::deque<std::string> queue_;
    std::size_t head_ = 0;
    std::size_t queued_ = 0;
    bool paused_ = false;
    bool eof_ = false;
    bool close_requested_ = false;
    bool write_done_ = false;
    bool failed_ = false;
    bool rearm_pending_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hyco::pipe
