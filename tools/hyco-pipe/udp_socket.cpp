// UDP sockets on the loop (see udp_socket.h). Like the listening sockets,
// the descriptor is adopted as an lws raw file: "readable" means datagrams
// are waiting, and recvfrom() is ours.
#include "tools/hyco-pipe/udp_socket.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <netdb.h>

namespace hyco::pipe {

std::string datagram_peer_name(const sockaddr_storage& a, socklen_t len) {
    char host[NI_MAXHOST] = "?";
    char port[NI_MAXSERV] = "?";
    ::getnameinfo(reinterpret_cast<const sockaddr*>(&a), len, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV);
    return a.ss_family == AF_INET6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

Result<std::unique_ptr<UdpSocket>> UdpSocket::open(EventLoop& loop, const SocketAddress& where, bool bind_local,
                                                   Received received, Broken broken) {
    std::string what = fmt::format("{} udp {}", bind_local ? "listen on" : "connect to", where.label());
    auto resolved = resolve_socket_address(where, bind_local);
    if (!resolved) return make_error(resolved.error().code, what, resolved.error().message());
    const ResolvedAddress& a = resolved->front();
    int fd = ::socket(a.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return make_error(Exit::failure, what, std::strerror(errno));
    // Bursts of small datagrams outrun the default buffer long before the
    // loop falls behind; the kernel caps this at net.core.rmem_max.
    int size = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    const sockaddr* sa = reinterpret_cast<const sockaddr*>(&a.addr);
    if (auto st = socket_step(fd, bind_local ? ::bind(fd, sa, a.len) : ::connect(fd, sa, a.len), what); !st)
        return st.error();
    std::unique_ptr<UdpSocket> s(new UdpSocket(std::move(received), std::move(broken)));
    s->fd_ = fd;
    s->what_ = bind_local ? "udp-listen " + where.label() : "udp " + where.label();
    s->local_name_ = socket_name(fd, false);
    s->buffer_.resize(65536);
    auto wsi = adopt_socket(loop, fd, s.get(), what);
    if (!wsi) return wsi.error();
    s->wsi_ = *wsi;
    return s;
}

UdpSocket::~UdpSocket() {
    alive_.end();
    EventLoop::release(wsi_);
}

void UdpSocket::pause(bool paused) {
    if (paused_ == paused) return;
    paused_ = paused;
    if (wsi_) EventLoop::flow(wsi_, !paused);
}

void UdpSocket::send(std::string_view datagram, const sockaddr* to, socklen_t len) {
    if (!wsi_) return;
    ssize_t n = ::sendto(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL, to, to ? len : 0);
    // EAGAIN, ENOBUFS, a refused earlier datagram (ECONNREFUSED): the
    // datagram is lost, which UDP allows; the flow goes on.
    if (n < 0) ++dropped_;
}

int UdpSocket::on_lws(lws* wsi, lws_callback_reasons reason, void*, std::size_t) {
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE: {
        auto alive = alive_.token();
        // A bounded batch per wakeup, so one busy socket cannot starve the copies.
        for (int i = 0; i < 64 && !paused_ && *alive; ++i) {
            sockaddr_storage from{};
            socklen_t len = sizeof from;
            ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                                   reinterpret_cast<sockaddr*>(&from), &len);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                if (broken_) broken_(make_error(Exit::failure, what_, std::strerror(errno)));
                break;
            }
            received_(std::string_view(buffer_.data(), static_cast<std::size_t>(n)), from, len);
        }
        return 0;
    }
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        lws_set_opaque_user_data(wsi, nullptr);
        wsi_ = nullptr;
        return 0;
    default:
        return 0;
    }
}

}  // namespace hyco::pipe
