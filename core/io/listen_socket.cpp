// Listening sockets (see listen_socket.h). The socket is adopted as an lws
// raw file: "readable" means a connection is waiting, and accept4() is ours.
#include "core/io/listen_socket.h"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace hyco {
namespace {

/// True when something answers on the Unix socket at `path`.
bool unix_socket_alive(const ResolvedAddress& a) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    bool alive = ::connect(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.len) == 0;
    ::close(fd);
    return alive;
}

}  // namespace

Result<std::unique_ptr<ListenSocket>> ListenSocket::open(EventLoop& loop, const SocketAddress& where, Accept accept) {
    std::string what = "listen on " + where.label();
    auto resolved = resolve_socket_address(where, true);
    if (!resolved) return make_error(resolved.error().code, what, resolved.error().message());
    const ResolvedAddress& a = resolved->front();
    std::unique_ptr<ListenSocket> ls(new ListenSocket(std::move(accept)));
    ls->unix_ = where.is_unix();
    if (ls->unix_) {
        struct stat st{};
        if (::lstat(where.unix_path.c_str(), &st) == 0) {
            if (!S_ISSOCK(st.st_mode)) return make_error(Exit::failure, what, "a file that is not a socket is in the way");
            if (unix_socket_alive(a)) return make_error(Exit::failure, what, "another process is listening there");
            ::unlink(where.unix_path.c_str());
        }
    }
    int fd = ::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return make_error(Exit::failure, what, std::strerror(errno));
    int one = 1;
    if (!ls->unix_) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.len);
    if (auto st = socket_step(fd, rc == 0 ? ::listen(fd, 511) : rc, what); !st) return st.error();
    if (ls->unix_) ls->unlink_path_ = where.unix_path;
    ls->local_name_ = ls->unix_ ? where.unix_path : socket_name(fd, false);
    auto wsi = adopt_socket(loop, fd, ls.get(), what);
    if (!wsi) return wsi.error();
    ls->wsi_ = *wsi;
    return ls;
}

ListenSocket::~ListenSocket() {
    EventLoop::release(wsi_);
    if (!unlink_path_.empty()) ::unlink(unlink_path_.c_str());
}

void ListenSocket::pause(bool paused) {
    if (paused_ == paused) return;
    paused_ = paused;
    if (wsi_) EventLoop::flow(wsi_, !paused);
}

int ListenSocket::on_lws(lws* wsi, lws_callback_reasons reason, void*, std::size_t) {
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE: {
        // A few per wakeup, so one busy listener cannot starve the copies.
        for (int i = 0; i < 16 && !paused_; ++i) {
            int fd = ::accept4(lws_get_socket_fd(wsi), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) break;  // EAGAIN, or a transient error (ECONNABORTED, EMFILE): try on the next wakeup
            if (!unix_) {
                int one = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            }
            accept_(fd, unix_ ? std::string("unix") : socket_name(fd, true));
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

}  // namespace hyco
