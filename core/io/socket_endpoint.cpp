// Socket addresses and the non-blocking connector (see socket_endpoint.h).
// The connecting socket is watched by the loop itself (FdWatch), not by lws:
// the descriptor then goes to whoever wraps it in an FdStream.
#include "core/io/socket_endpoint.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

namespace hyco {

std::string SocketAddress::label() const {
    if (is_unix()) return unix_path;
    if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

Result<std::vector<ResolvedAddress>> resolve_socket_address(const SocketAddress& a, bool passive) {
    std::vector<ResolvedAddress> out;
    if (a.is_unix()) {
        ResolvedAddress r;
        auto* un = reinterpret_cast<sockaddr_un*>(&r.addr);
        if (a.unix_path.size() >= sizeof un->sun_path)
            return make_error(Exit::usage, a.unix_path, "socket path too long");
        un->sun_family = AF_UNIX;
        std::memcpy(un->sun_path, a.unix_path.data(), a.unix_path.size());
        r.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + a.unix_path.size() + 1);
        r.family = AF_UNIX;
        out.push_back(r);
        return out;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    addrinfo* list = nullptr;
    std::string port = std::to_string(a.port);
    int rc = ::getaddrinfo(a.host.empty() ? nullptr : a.host.c_str(), port.c_str(), &hints, &list);
    if (rc != 0)
        return make_error(Exit::failure, "resolve " + a.host,
                          rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, ::freeaddrinfo);
    for (addrinfo* ai = list; ai; ai = ai->ai_next) {
        ResolvedAddress r;
        std::memcpy(&r.addr, ai->ai_addr, ai->ai_addrlen);
        r.len = ai->ai_addrlen;
        r.family = ai->ai_family;
        out.push_back(r);
    }
    if (out.empty()) return make_error(Exit::failure, "resolve " + a.host, "no addresses");
    return out;
}

Status socket_step(int fd, int step, const std::string& what) {
    if (step == 0) return {};
    int err = errno;
    ::close(fd);
    return make_error(Exit::failure, what, std::strerror(err));
}

Result<lws*> adopt_socket(EventLoop& loop, int fd, LwsHandler* handler, const std::string& what) {
    if (lws* wsi = loop.adopt(fd, handler)) return wsi;
    ::close(fd);
    return make_error(Exit::failure, what, "cannot add the socket to the event loop");
}

std::string socket_name(int fd, bool peer) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return "?";
    char host[INET6_ADDRSTRLEN] = "?";
    if (ss.ss_family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&ss);
        ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        return fmt::format("{}:{}", host, ntohs(in->sin_port));
    }
    if (ss.ss_family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        return fmt::format("[{}]:{}", host, ntohs(in6->sin6_port));
    }
    if (ss.ss_family == AF_UNIX) {
        auto* un = reinterpret_cast<sockaddr_un*>(&ss);
        return len > offsetof(sockaddr_un, sun_path) && un->sun_path[0] ? un->sun_path : "unix";
    }
    return "?";
}

SocketConnector::SocketConnector(EventLoop& loop, SocketAddress target, std::chrono::milliseconds timeout, Done done)
    : loop_(loop), target_(std::move(target)), timeout_(timeout), done_(std::move(done)), watch_(loop), timer_(loop) {}

SocketConnector::~SocketConnector() {
    alive_.end();
    reported_ = true;
    watch_.stop();
    if (fd_ >= 0) ::close(fd_);
}

void SocketConnector::connect() {
    auto r = resolve_socket_address(target_, false);
    if (!r) {
        report(r.error());
        return;
    }
    candidates_ = std::move(*r);
    if (timeout_.count() > 0)
        timer_.start(timeout_, [this] {
            watch_.stop();
            if (fd_ >= 0) ::close(fd_);
            fd_ = -1;
            report(make_error(Exit::timeout, "connect to " + target_.label(),
                              fmt::format("no answer within {} ms", timeout_.count())));
        });
    try_next();
}

void SocketConnector::try_next() {
    while (next_ < candidates_.size()) {
        const ResolvedAddress& a = candidates_[next_++];
        fd_ = ::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd_ < 0) {
            last_error_ = std::strerror(errno);
            continue;
        }
        if (a.family != AF_UNIX) {
            int one = 1;  // forwarded interactive traffic (ssh) must not wait for Nagle
            ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        if (source_) {
            if (Status b = bind_source(fd_, a.family, *source_); !b) {
                // A name with both families: an address skipped for its family
                // must not hide why the other one failed.
                if (a.family == source_->family || last_error_.empty()) last_error_ = b.error().what + ": " + b.error().why;
                ::close(fd_);
                fd_ = -1;
                continue;
            }
        }
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a.addr), a.len) == 0) {
            int fd = fd_;
            fd_ = -1;
            report(fd);
            return;
        }
        if (errno == EINPROGRESS || errno == EAGAIN) {
            watch_.writable(fd_, [this] { settle(); });
            return;
        }
        last_error_ = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
    }
    report(make_error(Exit::failure, "connect to " + target_.label(), last_error_));
}

void SocketConnector::settle() {
    if (fd_ < 0) return;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) {
        int fd = fd_;
        fd_ = -1;
        report(fd);
        return;
    }
    last_error_ = std::strerror(err);
    ::close(fd_);
    fd_ = -1;
    try_next();
}

void SocketConnector::report(Result<int> r) {
    if (reported_) {
        if (r) ::close(r.value());
        return;
    }
    reported_ = true;
    timer_.cancel();
    // Deferred: the receiver may destroy this connector in `done_`; if it
    // is destroyed before then, nobody is told and the descriptor is closed.
    loop_.defer([alive = alive_.token(), done = std::move(done_), r = std::move(r)]() mutable {
        if (*alive) done(std::move(r));
        else if (r) ::close(r.value());
    });
}

}  // namespace hyco
