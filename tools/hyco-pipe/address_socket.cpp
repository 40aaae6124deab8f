// Stream sockets: tcp:, tcp-listen:, unix:, unix-listen:.
#include <sys/un.h>

#include <fmt/format.h>

#include "core/io/listen_socket.h"
#include "tools/hyco-pipe/address_families.h"
#include "tools/hyco-pipe/address_family.h"
#include "tools/hyco-pipe/endpoints.h"
#include "core/stream/fd_endpoint.h"

namespace hyco::pipe::family {
namespace {

Status parse_tcp(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    return with_syntax(type, parse_host_port(text, arg, false, a));
}

Status parse_tcp_listen(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    auto st = parse_host_port(text, arg, true, a);
    // Forwarded ports stay on this machine unless a host is named (as ssh -L and azbridge -L do).
    if (st && a.host.empty()) a.host = "127.0.0.1";
    return with_syntax(type, st);
}

Status parse_socket_path(const AddressType&, std::string_view text, std::string_view arg, Address& a) {
    if (arg.empty()) return bad(text, "missing socket path");
    if (arg.size() >= sizeof(sockaddr_un{}.sun_path))
        return bad(text, fmt::format("socket path is longer than {} bytes", sizeof(sockaddr_un{}.sun_path) - 1));
    if (arg.find('\0') != std::string_view::npos) return bad(text, "socket path contains a NUL byte");
    a.path = std::string(arg);
    return {};
}

SocketAddress socket_address(const Address& a) {
    SocketAddress s;
    if (a.kind == AddressKind::unix_connect || a.kind == AddressKind::unix_listen) s.unix_path = a.path;
    else {
        s.host = a.host;
        s.port = a.port;
    }
    return s;
}

std::unique_ptr<Stream> open_connect(EventLoop& loop, const PipeConfig& config, const Address& a) {
    return std::make_unique<ConnectEndpoint>(loop, socket_address(a), config.client.timeouts.connect);
}

class SocketAcceptor final : public Acceptor {
public:
    explicit SocketAcceptor(std::unique_ptr<ListenSocket> socket) : socket_(std::move(socket)) {}
    void pause(bool paused) override { socket_->pause(paused); }
    std::string describe() const override { return socket_->local_name(); }

private:
    std::unique_ptr<ListenSocket> socket_;
};

Result<std::unique_ptr<Acceptor>> open_listen(EventLoop& loop, const PipeConfig&, const Address& a, const Log&,
                                              AcceptedFn accepted, AcceptFailedFn) {
    auto socket = ListenSocket::open(loop, socket_address(a), [&loop, accepted](int fd, const std::string& peer) {
        accepted(std::make_unique<FdEndpoint>(loop, fd, fd, peer), peer, nullptr);
    });
    if (!socket) return socket.error();
    return std::unique_ptr<Acceptor>(std::make_unique<SocketAcceptor>(std::move(*socket)));
}

}  // namespace

std::vector<AddressType> socket() {
    return {
        {AddressKind::tcp, "tcp", {"tcp-connect"}, "tcp:HOST:PORT",
         "Connect to a TCP port. HOST is a name or an address; write IPv6 addresses in brackets: tcp:[::1]:22.",
         false, true, false, parse_tcp, open_connect, nullptr},
        {AddressKind::tcp_listen, "tcp-listen", {"tcp-l"}, "tcp-listen:[HOST:]PORT",
         "Accept TCP connections on PORT (0: any free port, logged with -v). HOST defaults to 127.0.0.1, so "
         "a forwarded port is reachable from this machine only; write 0.0.0.0 or [::] to accept from anywhere.",
         true, true, false, parse_tcp_listen, nullptr, open_listen},
        {AddressKind::unix_connect, "unix", {"unix-connect"}, "unix:PATH", "Connect to a Unix domain stream socket.",
         false, true, false, parse_socket_path, open_connect, nullptr},
        {AddressKind::unix_listen, "unix-listen", {"unix-l"}, "unix-listen:PATH",
         "Accept connections on a Unix domain stream socket. A stale socket file at PATH is replaced; the file is "
         "removed on exit.",
         true, true, false, parse_socket_path, nullptr, open_listen},
    };
}

}  // namespace hyco::pipe::family
