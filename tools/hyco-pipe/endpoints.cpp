// The address -> stream factory and the socket acceptor (see endpoints.h).
// Relay endpoints live in relay_endpoint.cpp.
#include "tools/hyco-pipe/endpoints.h"

#include "core/io/listen_socket.h"
#include "tools/hyco-pipe/azbridge.h"
#include "tools/hyco-pipe/fd_endpoint.h"
#include "tools/hyco-pipe/http_front.h"
#include "tools/hyco-pipe/relay_endpoint.h"
#include "tools/hyco-pipe/test_endpoints.h"
#include "tools/hyco-pipe/udp_endpoint.h"

namespace hyco::pipe {
namespace {

SocketAddress socket_address(const Address& a) {
    SocketAddress s;
    if (a.kind == AddressKind::unix_connect || a.kind == AddressKind::unix_listen) s.unix_path = a.path;
    else {
        s.host = a.host;
        s.port = a.port;
    }
    return s;
}

class SocketAcceptor final : public Acceptor {
public:
    explicit SocketAcceptor(std::unique_ptr<ListenSocket> socket) : socket_(std::move(socket)) {}
    void pause(bool paused) override { socket_->pause(paused); }
    std::string describe() const override { return socket_->local_name(); }

private:
    std::unique_ptr<ListenSocket> socket_;
};

}  // namespace

std::unique_ptr<Stream> make_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a) {
    switch (a.kind) {
    case AddressKind::stdio:
        return make_stdio_endpoint(loop);
    case AddressKind::tcp:
    case AddressKind::unix_connect:
        return std::make_unique<ConnectEndpoint>(loop, socket_address(a), config.client.timeouts.connect);
    case AddressKind::exec:
        return std::make_unique<ExecEndpoint>(loop, a.argument);
    case AddressKind::mirror:
        return make_mirror_endpoint(loop);
    case AddressKind::literal:
        return make_literal_endpoint(loop, a.argument);
    case AddressKind::relay_connect:
        return make_relay_connect_endpoint(loop, config, a);
    case AddressKind::relay_http:
        return make_relay_http_endpoint(loop, config, a);
    case AddressKind::udp:
        return make_udp_endpoint(loop, a);
    case AddressKind::udp_listen:
    case AddressKind::tcp_listen:
    case AddressKind::unix_listen:
    case AddressKind::relay_listen:
        break;
    }
    return nullptr;  // listening addresses go through open_acceptor()
}

Result<std::unique_ptr<Acceptor>> open_acceptor(EventLoop& loop, const PipeConfig& config, const Address& a,
                                                const Log& log, Acceptor::Accepted accepted, Acceptor::Failed failed) {
    if (a.kind == AddressKind::relay_listen && a.azbridge)
        return open_azbridge_acceptor(loop, config, a, log, accepted, failed);
    if (a.kind == AddressKind::relay_listen) return open_relay_acceptor(loop, config, a, log, accepted, failed);
    if (a.kind == AddressKind::udp_listen) return open_udp_acceptor(loop, a, log, accepted);
    auto socket = ListenSocket::open(loop, socket_address(a), [&loop, accepted](int fd, const std::string& peer) {
        accepted(std::make_unique<FdEndpoint>(loop, fd, fd, peer), peer);
    });
    if (!socket) return socket.error();
    return std::unique_ptr<Acceptor>(std::make_unique<SocketAcceptor>(std::move(*socket)));
}

}  // namespace hyco::pipe
