// Descriptor-backed streams (see fd_endpoint.h). Events from FdStream are
// passed on as Stream events; opened() is always reported from a deferred
// call so that the copier never sees an event inside its own open() call.
#include "core/stream/fd_endpoint.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/io/child_process.h"

namespace hyco {

FdEndpoint::FdEndpoint(EventLoop& loop, int read_fd, int write_fd, std::string name)
    : loop_(loop), name_(std::move(name)), read_fd_(read_fd), write_fd_(write_fd), flush_limit_(loop) {}

FdEndpoint::FdEndpoint(EventLoop& loop, std::string name)
    : loop_(loop), name_(std::move(name)), flush_limit_(loop) {}

FdEndpoint::~FdEndpoint() {
    alive_.end();
    stream_.reset();
}

void FdEndpoint::open(Stream::Events& events) {
    events_ = &events;
    int r = read_fd_, w = write_fd_;
    read_fd_ = write_fd_ = -1;
    loop_.defer([this, alive = alive_.token(), r, w] {
        if (*alive) start(r, w);
        else {
            if (r >= 0) ::close(r);
            if (w >= 0 && w != r) ::close(w);
        }
    });
}

void FdEndpoint::start(int read_fd, int write_fd) {
    fds_ = {read_fd, write_fd};
    FdStream::Events& self = *this;  // a private base: convert here, inside the class
    stream_ = std::make_unique<FdStream>(loop_, self, read_fd, write_fd, name_);
    if (auto st = stream_->start(); !st) {
        fail(st.error());
        return;
    }
    events_->opened(*this);
}

namespace {

bool is_stream_socket(int fd) {
    int type = 0;
    socklen_t len = sizeof type;
    return fd >= 0 && ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
}

}  // namespace

void FdEndpoint::finish(bool clean, std::function<void(Status)> done) {
    dead_ = true;
    bool socket = is_stream_socket(fds_[1]);
    if (!clean && stream_) {
        // A TCP peer must be able to tell a cut stream from a complete one:
        // a failed session ends with a reset (SO_LINGER 0), never a FIN.
        // (Linux ignores SO_LINGER on Unix sockets, which have no reset.)
        for (int fd : fds_) {
            if (!is_stream_socket(fd)) continue;
            linger hard{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        }
    }
    if (!stream_ || write_finished_ || fds_[1] < 0 || (!clean && socket)) {
        closed_all({});
        done({});
        return;
    }
    // What arrived is written out before the end, even after a failure: a
    // pipe's reader gets every byte that came, then EOF (and our exit
    // status says the stream was cut). A socket peer that stopped reading
    // does not hold the session for ever.
    flushed_ = std::move(done);
    stream_->close_read();
    stream_->close_write();
    if (socket)
        flush_limit_.start(std::chrono::seconds(30), [this] {
            closed_all({});
        });
}

void FdEndpoint::closed_all(Status st) {
    flush_limit_.cancel();
    stream_.reset();  // closes the descriptors now, not when the session is freed
    if (flushed_) std::exchange(flushed_, nullptr)(st);
}

void FdEndpoint::fail(const Error& e) {
    if (dead_) return;
    dead_ = true;
    events_->failed(*this, e);
}

void FdEndpoint::write(std::string_view bytes) {
    if (!stream_ || dead_) return;
    handed_ += bytes.size();
    stream_->write(bytes);
}

void FdEndpoint::poll_input() {
    if (stream_ && !dead_) stream_->read_ready();
}

bool FdEndpoint::all_written() const { return !stream_ || stream_->bytes_written() == handed_; }

bool FdEndpoint::writable() const { return !stream_ || stream_->writable(); }

void FdEndpoint::close_write() {
    if (stream_ && !dead_) stream_->close_write();
}

void FdEndpoint::pause(bool paused) {
    if (stream_ && !dead_) stream_->pause(paused);
}

void FdEndpoint::close_read() {
    if (!stream_ || dead_) return;
    stream_->close_read();
}

void FdEndpoint::stream_data(FdStream&, std::string_view bytes) {
    if (!dead_) events_->data(*this, bytes);
}

void FdEndpoint::stream_eof(FdStream&) {
    if (!dead_) events_->read_end(*this);
}

// A reset connection is a failure, never a clean end: the copier must not
// report a truncated stream as success.
void FdEndpoint::stream_read_failed(FdStream&, const Error& error) { fail(error); }

void FdEndpoint::stream_drained(FdStream&) {
    if (!dead_) events_->drained(*this);
}

void FdEndpoint::stream_write_closed(FdStream&, const Error* error) {
    write_finished_ = true;
    if (flushed_) {
        // finish() is waiting: the output went out, or could not.
        Status st = error ? Status(*error) : Status();
        loop_.defer([this, alive = alive_.token(), st] {
            if (*alive) closed_all(st);
        });
        return;
    }
    if (error) return fail(*error);
    if (!dead_) events_->write_end(*this);
}

ConnectEndpoint::ConnectEndpoint(EventLoop& loop, SocketAddress target, std::chrono::milliseconds timeout)
    : FdEndpoint(loop, target.label()), target_(std::move(target)), timeout_(timeout) {}

void ConnectEndpoint::open(Stream::Events& events) {
    events_ = &events;
    connector_ = std::make_unique<SocketConnector>(loop_, target_, timeout_, [this](Result<int> fd) {
        connector_.reset();  // its addresses, timer and watch are done with
        if (!fd) {
            fail(fd.error());
            return;
        }
        name_ = fmt::format("{} (from {})", target_.label(), socket_name(*fd, false));
        start(*fd, *fd);
    });
    connector_->connect();
}

ExecEndpoint::ExecEndpoint(EventLoop& loop, ChildSpec spec, std::string name)
    : FdEndpoint(loop, std::move(name)), spec_(std::move(spec)), stop_timer_(loop) {
    spec_->own_process_group = true;
}

ExecEndpoint::ExecEndpoint(EventLoop& loop, Child child, std::string name)
    : FdEndpoint(loop, std::move(name)), child_(child), pid_(child.pid), stop_timer_(loop) {
    watch();
}

ExecEndpoint::~ExecEndpoint() {
    // Adopted and never opened: its descriptors are still ours.
    if (child_.stdin_fd >= 0) ::close(child_.stdin_fd);
    if (child_.stdout_fd >= 0) ::close(child_.stdout_fd);
    if (pid_ > 0) {
        // Destroyed before finish(): never leave the command running.
        ::kill(-pid_, SIGTERM);
        loop_.forget_child(pid_);
    }
}

void ExecEndpoint::watch() {
    loop_.watch_child(pid_, [this](int wstatus) { exited(wstatus); });
}

void ExecEndpoint::exited(int wstatus) {
    pid_ = -1;
    exit_status_ = wstatus;
    stop_timer_.cancel();
    if (auto fn = std::exchange(exit_waiter_, nullptr)) fn(eos::RemoteExit::from_wait_status(wstatus));
    if (auto done = std::exchange(finish_waiter_, nullptr)) done(verdict(wstatus));
}

std::string ExecEndpoint::describe() const {
    return pid_ > 0 ? fmt::format("{} (pid {})", name_, pid_) : name_;
}

void ExecEndpoint::open(Stream::Events& events) {
    events_ = &events;
    if (spec_) {
        auto child = spawn_shell(*spec_);
        if (!child) {
            // Reported from the loop, as every other event: the copier is
            // still inside its open() call.
            Error e = make_error(Exit::failure, name_, child.error().why);
            loop_.defer([this, alive = alive_.token(), e] {
                if (*alive) fail(e);
            });
            return;
        }
        child_ = *child;
        pid_ = child->pid;
        watch();
    }
    int r = std::exchange(child_.stdout_fd, -1), w = std::exchange(child_.stdin_fd, -1);
    loop_.defer([this, alive = alive_.token(), r, w] {
        if (*alive) start(r, w);
        else ::close(r), ::close(w);
    });
}

Status ExecEndpoint::verdict(int wstatus) const {
    // 141 is a shell's report of SIGPIPE: the command wrote after its reader went away.
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0 && WEXITSTATUS(wstatus) != 128 + SIGPIPE)
        return make_error(Exit::failure, name_, fmt::format("exited with status {}", WEXITSTATUS(wstatus)));
    if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) != SIGTERM && WTERMSIG(wstatus) != SIGPIPE)
        return make_error(Exit::failure, name_, fmt::format("killed by signal {}", WTERMSIG(wstatus)));
    return {};
}

void ExecEndpoint::when_exited(std::function<void(std::optional<eos::RemoteExit>)> fn) {
    if (pid_ > 0) {
        // Its output ended, so it usually exits within a millisecond (and
        // the peer waits for this status); it may also keep running until
        // the session ends. The reaper tells us either way.
        exit_waiter_ = std::move(fn);
        return;
    }
    fn(exit_status_ ? std::optional(eos::RemoteExit::from_wait_status(*exit_status_)) : std::nullopt);
}

void ExecEndpoint::finish(bool clean, std::function<void(Status)> done) {
    FdEndpoint::finish(clean, [](Status) {});
    if (pid_ <= 0) {
        done(exit_status_ ? verdict(*exit_status_) : Status());
        return;
    }
    finish_waiter_ = std::move(done);
    // A clean end gives the command two seconds to exit by itself (its
    // input is closed); otherwise it is stopped now. SIGKILL follows a
    // second after SIGTERM.
    if (clean) {
        escalate(std::chrono::milliseconds(2000), SIGTERM);
    } else {
        ::kill(-pid_, SIGTERM);
        escalate(std::chrono::milliseconds(1000), SIGKILL);
    }
}

void ExecEndpoint::escalate(std::chrono::milliseconds after, int signo) {
    stop_timer_.start(after, [this, signo] {
        if (pid_ <= 0) return;
        ::kill(-pid_, signo);
        if (signo == SIGTERM) escalate(std::chrono::milliseconds(1000), SIGKILL);
    });
}

std::unique_ptr<FdEndpoint> make_stdio_endpoint(EventLoop& loop, std::string name) {
    int r = ::fcntl(0, F_DUPFD_CLOEXEC, 3);
    int w = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    auto e = std::make_unique<FdEndpoint>(loop, r, w, std::move(name));
    e->end_session_when_reader_leaves();
    return e;
}

}  // namespace hyco
