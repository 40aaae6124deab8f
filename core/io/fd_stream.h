// A byte-stream endpoint on the event loop built from file descriptors:
// stdin/stdout, a child's pipes, or (one fd for both directions) a socket.
// Reads pause and resume on request; a write goes out at once when nothing is
// queued, and what the descriptor does not take queues for WRITEABLE.
// Together with the Copier this is the "endpoint" half of the
// socat-style design.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/io/event_loop.h"

namespace hyco {

/// Nobody can read what `fd` would write any more: the reading end of the
/// pipe (or FIFO) it writes to is closed, or the peer of a socket hung up.
bool reader_gone(int fd);
/// `fd` is a pipe (or FIFO) opened only for writing: epoll never reports it
/// readable, except with an error once nobody reads it any more.
bool write_only_pipe(int fd);

class FdStream final {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void stream_data(FdStream&, std::string_view bytes) = 0;
        /// The read side reached end of input (after delivering all data).
        virtual void stream_eof(FdStream&) = 0;
        /// Reading failed (e.g. ECONNRESET): the input is incomplete. By
        /// default treated as end of input; endpoints that must not pass a
        /// truncated stream off as complete override it.
        virtual void stream_read_failed(FdStream& s, const Error&) { stream_eof(s); }
        /// The write queue fell below the low-water mark.
        virtual void stream_drained(FdStream&) {}
        /// The write side is finished: flushed and closed after
        /// close_write(), or broken (`error` set; EPIPE is not an error).
        virtual void stream_write_closed(FdStream&, const Error* error) = 0;
    };

    static constexpr std::size_t kReadChunk = 64 * 1024;
    static constexpr std::size_t kHighWater = 1024 * 1024;
    static constexpr std::size_t kLowWater = 256 * 1024;

    /// Takes ownership of `read_fd` and `write_fd` (-1: no such side). They
    /// may be the same descriptor (a socket). Callers adopt dups of 0 and 1.
    FdStream(EventLoop& loop, Events& events, int read_fd, int write_fd, std::string name);
    ~FdStream();
    FdStream(const FdStream&) = delete;
    FdStream& operator=(const FdStream&) = delete;

    /// Adopts the descriptors into the loop (they become non-blocking).
    Status start();
    /// Stops (true) or resumes (false) reading.
    void pause(bool paused);
    void write(std::string_view bytes);
    /// Closes the write side once everything queued has been written.
    void close_write();
    /// Stops reading for good (no further data or eof events).
    void close_read();
    /// One read of whatever is ready now, without waiting, paused or not:
    /// delivers data or the end of input as usual. For a session that stops
    /// on purpose and wants to know whether its input had already ended.
    void read_ready();

    std::size_t queued() const { return out_.size() - out_head_; }
    bool writable() const { return queued() < kHighWater; }
    bool has_reader() const { return reader_ != nullptr; }
    bool write_open() const { return writer_ != nullptr || (write_fd_ >= 0 && !write_done_); }
    const std::string& name() const { return name_; }
    std::size_t bytes_read() const { return bytes_read_; }
    std::size_t bytes_written() const { return bytes_written_; }

private:
    class Side;
    friend class Side;
    int on_readable();
    void on_read_closed(bool drain);
    void report_read_end();
    void release_held();
    int on_writeable();
    void on_write_closed();
    void finish_write(const Error* error);

    EventLoop& loop_;
    Events& events_;
    int read_fd_;
    int write_fd_;
    std::string name_;
    lws* reader_ = nullptr;
    lws* writer_ = nullptr;
    Side* read_side_ = nullptr;
    Side* write_side_ = nullptr;
    /// Bytes not yet written, from out_head_ on: one buffer reused for the
    /// life of the stream (a fresh allocation per chunk costs page faults).
    std::string out_;
    std::size_t out_head_ = 0;
    bool paused_ = false;
    /// What was left in a pipe whose writer hung up while we were paused:
    /// delivered, with the end of input, once reading resumes.
    std::string held_;
    bool end_held_ = false;
    bool eof_sent_ = false;
    bool read_closed_by_us_ = false;
    int read_errno_ = 0;
    bool close_write_requested_ = false;
    bool write_done_ = false;
    std::size_t bytes_read_ = 0;
    std::size_t bytes_written_ = 0;
    Timer rearm_;
    Timer release_;
};

}  // namespace hyco
