// Raw-file I/O on the event loop (see fd_io.h). When lws closes a reading
// descriptor on POLLHUP it has not read what is left (lws notes §7.7), so
// the close handler drains it first: at most one pipe or socket buffer.
#include "tools/hyco-pipe/fd_io.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

namespace hyco::pipe {

class FdIo::Side final : public LwsHandler {
public:
    Side(FdIo& io, bool reads, bool writes) : io_(io), reads_(reads), writes_(writes) {}
    bool reads() const { return reads_; }
    bool writes() const { return writes_; }

    int on_lws(lws* wsi, lws_callback_reasons reason, void*, std::size_t) override {
        switch (reason) {
        case LWS_CALLBACK_RAW_RX_FILE:
            return reads_ ? io_.on_readable(lws_get_socket_fd(wsi)) : 0;
        case LWS_CALLBACK_RAW_WRITEABLE_FILE:
            return writes_ ? io_.on_writeable(lws_get_socket_fd(wsi)) : 0;
        case LWS_CALLBACK_RAW_CLOSE_FILE:
            lws_set_opaque_user_data(wsi, nullptr);
            io_.on_closed(this, lws_get_socket_fd(wsi));
            return 0;
        default:
            return 0;
        }
    }

private:
    FdIo& io_;
    bool reads_;
    bool writes_;
};

namespace {

lws* adopt(EventLoop& loop, int fd, LwsHandler* handler) {
    lws_sock_file_fd_type desc;
    desc.filefd = fd;
    lws* wsi = lws_adopt_descriptor_vhost(loop.vhost(), LWS_ADOPT_RAW_FILE_DESC, desc, EventLoop::protocol_name(),
                                          nullptr);
    if (wsi) lws_set_opaque_user_data(wsi, handler);
    return wsi;
}

void release(lws*& wsi) {
    if (!wsi) return;
    lws_set_opaque_user_data(wsi, nullptr);
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    wsi = nullptr;
}

}  // namespace

FdIo::FdIo(EventLoop& loop, Events& events, int read_fd, int write_fd, std::string name)
    : loop_(loop), events_(events), read_fd_(read_fd), write_fd_(write_fd), name_(std::move(name)) {}

FdIo::~FdIo() {
    *alive_ = false;
    bool same = reader_ && reader_ == writer_;
    release(reader_);
    if (same) writer_ = nullptr;
    release(writer_);
    // Descriptors never handed to lws are still ours to close.
    if (read_fd_ >= 0) ::close(read_fd_);
    if (write_fd_ >= 0 && write_fd_ != read_fd_) ::close(write_fd_);
}

Status FdIo::start() {
    int r = read_fd_, w = write_fd_;
    read_fd_ = write_fd_ = -1;
    if (r >= 0 && r == w) {
        reader_side_ = std::make_unique<Side>(*this, true, true);
        reader_ = writer_ = adopt(loop_, r, reader_side_.get());
        if (!reader_) {
            ::close(r);
            return make_error(Exit::failure, name_, "cannot add it to the event loop");
        }
        return {};
    }
    if (r >= 0) {
        reader_side_ = std::make_unique<Side>(*this, true, false);
        reader_ = adopt(loop_, r, reader_side_.get());
        if (!reader_) ::close(r);
    }
    if (w >= 0) {
        writer_side_ = std::make_unique<Side>(*this, false, true);
        writer_ = adopt(loop_, w, writer_side_.get());
        if (!writer_) ::close(w);
        else lws_rx_flow_control(writer_, 0);  // a terminal on fd 1 may be readable: never wait on it
    }
    if ((r >= 0 && !reader_) || (w >= 0 && !writer_))
        return make_error(Exit::failure, name_, "cannot add it to the event loop");
    if (r < 0) eof_ = true;
    if (w < 0) write_done_ = true;
    return {};
}

void FdIo::pause(bool paused) {
    if (paused_ == paused) return;
    paused_ = paused;
    if (reader_ && !eof_) lws_rx_flow_control(reader_, paused ? 0 : 1);
}

int FdIo::on_readable(int fd) {
    if (paused_ || eof_ || failed_) return 0;
    char buf[kReadChunk];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
        events_.io_data(std::string_view(buf, static_cast<std::size_t>(n)));
        return 0;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) fail("read from", errno);
        return 0;
    }
    eof_ = true;
    if (reader_ == writer_) {
        lws_rx_flow_control(reader_, 0);  // a socket: our sending half lives on
        events_.io_eof();
        return 0;
    }
    lws_set_opaque_user_data(reader_, nullptr);
    reader_ = nullptr;
    events_.io_eof();
    return -1;  // lws closes the descriptor
}

void FdIo::on_closed(Side* side, int fd) {
    if (side->reads()) {
        reader_ = nullptr;
        if (!eof_ && !failed_ && fd >= 0) {
            char buf[kReadChunk];
            for (;;) {
                ssize_t n = ::read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                events_.io_data(std::string_view(buf, static_cast<std::size_t>(n)));
            }
        }
        if (!eof_ && !failed_) {
            eof_ = true;
            events_.io_eof();
        }
    }
    if (side->writes()) {
        writer_ = nullptr;
        end_write();  // hung up under us: the consumer is gone
    }
}

int FdIo::on_writeable(int fd) {
    if (write_done_ || failed_) return 0;
    bool was_high = queued_ >= kLowWater;
    std::size_t budget = 4 * kReadChunk;  // leave time for the other connections
    while (!queue_.empty() && budget > 0) {
        std::string& front = queue_.front();
        ssize_t n = ::write(fd, front.data() + head_, front.size() - head_);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            if (errno != EPIPE) {
                fail("write to", errno);
                return 0;
            }
            if (writer_ != reader_) {
                lws_set_opaque_user_data(writer_, nullptr);
                writer_ = nullptr;
                end_write();  // the reader went away: a normal end
                return -1;
            }
            end_write();
            return 0;
        }
        std::size_t w = static_cast<std::size_t>(n);
        queued_ -= w;
        head_ += w;
        budget = w >= budget ? 0 : budget - w;
        if (head_ == front.size()) {
            queue_.pop_front();
            head_ = 0;
        }
    }
    if (queue_.empty() && close_requested_) {
        if (writer_ == reader_) {
            ::shutdown(fd, SHUT_WR);
            end_write();
            return 0;
        }
        lws_set_opaque_user_data(writer_, nullptr);
        writer_ = nullptr;
        end_write();
        return -1;  // closing the descriptor is the end of input for its reader
    }
    if (!queue_.empty()) rearm();
    if (was_high && queued_ < kLowWater) events_.io_drained();
    return 0;
}

void FdIo::rearm() {
    if (rearm_pending_) return;
    rearm_pending_ = true;
    // After the callback: lws clears POLLOUT once WRITEABLE returns.
    loop_.defer([this, alive = alive_] {
        if (!*alive) return;
        rearm_pending_ = false;
        if (writer_ && !write_done_ && (!queue_.empty() || close_requested_)) lws_callback_on_writable(writer_);
    });
}

void FdIo::write(std::string_view bytes) {
    if (write_done_ || failed_ || !writer_ || bytes.empty()) return;
    if (!queue_.empty() && queue_.back().size() < kReadChunk) queue_.back().append(bytes);
    else queue_.emplace_back(bytes);
    queued_ += bytes.size();
    rearm();
}

void FdIo::close_write() {
    if (write_done_ || close_requested_) return;
    close_requested_ = true;
    if (!writer_) end_write();
    else rearm();
}

void FdIo::close_read() {
    if (eof_) return;
    eof_ = true;
    if (!reader_) return;
    lws_rx_flow_control(reader_, 0);
    // A pipe from a command: closing it tells the command nobody listens.
    if (reader_ != writer_) release(reader_);
}

void FdIo::end_write() {
    if (write_done_) return;
    write_done_ = true;
    queue_.clear();
    queued_ = 0;
    head_ = 0;
    events_.io_write_closed();
}

void FdIo::fail(const std::string& what, int err) {
    if (failed_) return;
    failed_ = true;
    if (reader_) lws_rx_flow_control(reader_, 0);
    events_.io_failed(make_error(Exit::failure, what + " " + name_, std::strerror(err)));
}

}  // namespace hyco::pipe
