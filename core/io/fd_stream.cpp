// File-descriptor endpoints (see fd_stream.h). Under lws's poll() loop the
// raw-file role closed on POLLHUP without reading what was left in a pipe
// (libwebsockets v4.1.6, lib/roles/raw-file/ops-raw-file.c), so the close
// handler drains the descriptor before reporting end of input. On the libev
// loop a hang-up arrives as readable instead; the drain stays as a guard.
#include "core/io/fd_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hyco {

bool reader_gone(int fd) {
    pollfd p{fd, 0, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

bool write_only_pipe(int fd) {
    struct stat st{};
    int fl = ::fcntl(fd, F_GETFL);
    return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fl >= 0 && (fl & O_ACCMODE) == O_WRONLY;
}

/// One adopted descriptor: the read side, the write side, or both (socket).
class FdStream::Side final : public LwsHandler {
public:
    Side(FdStream& stream, bool reads, bool writes) : stream_(stream), reads_(reads), writes_(writes) {}

    int on_lws(lws* wsi, lws_callback_reasons reason, void*, std::size_t) override {
        switch (reason) {
        case LWS_CALLBACK_RAW_RX_FILE:
            if (reads_) return stream_.on_readable();
            // A pipe we only write to is readable only once its reader is
            // gone (EPOLLERR); close as if a write had failed with EPIPE.
            return writes_ && reader_gone(lws_get_socket_fd(wsi)) ? -1 : 0;
        case LWS_CALLBACK_RAW_WRITEABLE_FILE:
            return writes_ ? stream_.on_writeable() : 0;
        case LWS_CALLBACK_RAW_CLOSE_FILE:
            lws_set_opaque_user_data(wsi, nullptr);
            if (reads_) stream_.on_read_closed(true);
            if (writes_) stream_.on_write_closed();
            return 0;
        default:
            return 0;
        }
    }

private:
    FdStream& stream_;
    bool reads_;
    bool writes_;
};

FdStream::FdStream(EventLoop& loop, Events& events, int read_fd, int write_fd, std::string name)
    : loop_(loop), events_(events), read_fd_(read_fd), write_fd_(write_fd), name_(std::move(name)), rearm_(loop), release_(loop) {}

FdStream::~FdStream() {
    bool same = reader_ && reader_ == writer_;
    EventLoop::release(reader_);
    if (same) writer_ = nullptr;
    EventLoop::release(writer_);
    delete read_side_;
    if (write_side_ != read_side_) delete write_side_;
}

Status FdStream::start() {
    if (read_fd_ >= 0 && read_fd_ == write_fd_) {
        read_side_ = write_side_ = new Side(*this, true, true);
        reader_ = writer_ = loop_.adopt(read_fd_, read_side_);
        if (!reader_) return make_error(Exit::failure, name_, "cannot add it to the event loop");
        return {};
    }
    if (read_fd_ >= 0) {
        read_side_ = new Side(*this, true, false);
        reader_ = loop_.adopt(read_fd_, read_side_);
        if (!reader_) return make_error(Exit::failure, name_, "cannot add its input to the event loop");
    }
    if (write_fd_ >= 0) {
        write_side_ = new Side(*this, false, true);
        writer_ = loop_.adopt(write_fd_, write_side_);
        if (!writer_) return make_error(Exit::failure, name_, "cannot add its output to the event loop");
        // A pipe's reader going away while nothing is being written shows
        // only as an error on the descriptor, which the libev loop delivers
        // to a read watcher alone: keep reading "enabled" there. Anything
        // else (a terminal on fd 1 is often readable too): never wait for
        // input here.
        if (!write_only_pipe(write_fd_)) EventLoop::flow(writer_, false);
    }
    return {};
}

void FdStream::pause(bool paused) {
    if (paused_ == paused) return;
    paused_ = paused;
    if (reader_ && !eof_sent_) EventLoop::flow(reader_, !paused);
    if (!paused && end_held_) {
        // From the loop, as a read would come: never inside the caller's pause().
        release_.start(std::chrono::milliseconds(0), [this] { release_held(); });
    }
}

void FdStream::release_held() {
    if (paused_ || !end_held_ || read_closed_by_us_) return;
    std::string held = std::move(held_);
    held_.clear();
    end_held_ = false;
    if (!held.empty()) events_.stream_data(*this, held);
    if (read_closed_by_us_ || eof_sent_) return;
    eof_sent_ = true;
    report_read_end();
}

int FdStream::on_readable() {
    if (paused_ || eof_sent_) return 0;
    char buf[kReadChunk];
    ssize_t n = ::read(reader_ ? lws_get_socket_fd(reader_) : read_fd_, buf, sizeof buf);
    if (n > 0) {
        bytes_read_ += static_cast<std::size_t>(n);
        events_.stream_data(*this, std::string_view(buf, static_cast<std::size_t>(n)));
        return 0;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    if (n < 0) read_errno_ = errno;
    if (reader_ == writer_) {
        // A socket: end of input must not close our sending half.
        EventLoop::flow(reader_, false);
        eof_sent_ = true;
        report_read_end();
        return 0;
    }
    return -1;  // close; on_read_closed() reports the end of input
}

void FdStream::report_read_end() {
    if (read_errno_ == 0) return events_.stream_eof(*this);
    events_.stream_read_failed(*this, make_error(Exit::failure, "reading " + name_, std::strerror(read_errno_)));
}

void FdStream::on_read_closed(bool drain) {
    int fd = reader_ ? lws_get_socket_fd(reader_) : -1;
    bool same = reader_ == writer_;
    reader_ = nullptr;
    if (same) writer_ = nullptr;
    if (eof_sent_ || read_closed_by_us_) return;
    if (drain && fd >= 0 && read_errno_ == 0) {
        // Whatever is still in the pipe after the writer hung up: at most one
        // pipe buffer, so this loop ends and never blocks (non-blocking fd).
        char buf[kReadChunk];
        for (;;) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            bytes_read_ += static_cast<std::size_t>(n);
            // Paused means no data now: the consumer is not ready for it.
            if (paused_) held_.append(buf, static_cast<std::size_t>(n));
            else events_.stream_data(*this, std::string_view(buf, static_cast<std::size_t>(n)));
        }
    }
    if (paused_) {
        end_held_ = true;
        return;
    }
    eof_sent_ = true;
    report_read_end();
}

void FdStream::read_ready() {
    if (!reader_ || eof_sent_) return;
    char buf[kReadChunk];
    ssize_t n;
    do n = ::read(lws_get_socket_fd(reader_), buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        bytes_read_ += static_cast<std::size_t>(n);
        events_.stream_data(*this, std::string_view(buf, static_cast<std::size_t>(n)));
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0) read_errno_ = errno;
    EventLoop::flow(reader_, false);
    eof_sent_ = true;
    report_read_end();
}

void FdStream::close_read() {
    read_closed_by_us_ = true;
    eof_sent_ = true;
    if (reader_ && reader_ != writer_) EventLoop::release(reader_);
    // A socket stays open for writing: stop polling it for input, or the loop
    // would spin on a readable fd nobody reads.
    else if (reader_) EventLoop::flow(reader_, false);
}

void FdStream::write(std::string_view bytes) {
    if (write_done_ || !writer_ || bytes.empty()) return;
    if (out_head_ == out_.size()) {
        out_.clear();
        out_head_ = 0;
        // Nothing queued: write now. Waiting for WRITEABLE costs two epoll
        // changes and a turn of the loop per chunk, and a descriptor is
        // nearly always ready. Only success is handled here; what is left,
        // and any error, goes through on_writeable as before (a failing
        // write fails again there), so no event reaches our caller from
        // inside its own call.
        ssize_t n;
        do n = ::write(lws_get_socket_fd(writer_), bytes.data(), bytes.size());
        while (n < 0 && errno == EINTR);
        if (n > 0) {
            bytes_written_ += static_cast<std::size_t>(n);
            bytes.remove_prefix(static_cast<std::size_t>(n));
            if (bytes.empty()) return;
        }
    } else if (out_head_ >= kReadChunk && out_head_ >= out_.size() / 2) {
        // Move the unwritten tail to the front rather than growing for ever.
        out_.erase(0, out_head_);
        out_head_ = 0;
    }
    out_.append(bytes);
    lws_callback_on_writable(writer_);
}

void FdStream::close_write() {
    if (write_done_) return;
    close_write_requested_ = true;
    if (writer_) lws_callback_on_writable(writer_);
    else finish_write(nullptr);
}

int FdStream::on_writeable() {
    if (write_done_) return 0;
    int fd = lws_get_socket_fd(writer_);
    bool was_high = queued() >= kLowWater;
    std::size_t budget = 4 * kReadChunk;  // keep other connections served
    while (out_head_ < out_.size() && budget > 0) {
        std::size_t left = std::min(out_.size() - out_head_, budget);
        ssize_t n = ::write(fd, out_.data() + out_head_, left);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            if (errno == EPIPE) {
                finish_write(nullptr);  // the reader went away: a normal end
            } else {
                Error e = make_error(Exit::failure, "write to " + name_, std::strerror(errno));
                finish_write(&e);
            }
            if (writer_ == reader_) return 0;
            writer_ = nullptr;
            return -1;
        }
        std::size_t w = static_cast<std::size_t>(n);
        bytes_written_ += w;
        budget -= w;
        out_head_ += w;
        if (w < left) break;  // the descriptor is full
    }
    if (out_head_ == out_.size()) {
        out_.clear();
        out_head_ = 0;
    }
    if (out_.empty() && close_write_requested_) {
        if (writer_ == reader_) {
            ::shutdown(fd, SHUT_WR);
            finish_write(nullptr);
            return 0;
        }
        writer_ = nullptr;
        finish_write(nullptr);
        return -1;  // lws closes the descriptor: the consumer sees EOF
    }
    if (!out_.empty()) {
        // The raw-file role clears POLLOUT right after this callback returns,
        // so asking for another WRITEABLE here would be lost: ask from a timer.
        rearm_.start(std::chrono::milliseconds(0), [this] {
            if (writer_) lws_callback_on_writable(writer_);
        });
    }
    if (was_high && queued() < kLowWater) events_.stream_drained(*this);
    return 0;
}

void FdStream::on_write_closed() {
    writer_ = nullptr;
    finish_write(nullptr);  // hung up under us: the consumer is gone
}

void FdStream::finish_write(const Error* error) {
    if (write_done_) return;
    write_done_ = true;
    out_.clear();
    out_.shrink_to_fit();
    out_head_ = 0;
    events_.stream_write_closed(*this, error);
}

}  // namespace hyco
