// The probe's own blocking connection to the relay, one step at a time so
// each can be timed and blamed on its own: name resolution, TCP connect,
// then TLS with OpenSSL directly, to read the peer's certificate and the
// verification verdict that core's WsClient only reports on failure. The
// runtime-information GET then travels over this same connection.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/http/proxy.h"
#include "core/io/event_loop.h"

namespace hyco::probe {

/// One resolved address.
struct Address {
    sockaddr_storage sa{};
    socklen_t len = 0;
    std::string text;  ///< 127.0.0.1 or [::1]
};

/// getaddrinfo for `host`:`port`. Errors: Exit::failure with resolver's reason.
Result<std::vector<Address>> resolve(const std::string& host, std::uint16_t port);

/// What the TLS handshake showed about the peer.
struct TlsPeer {
    std::string protocol;  ///< TLSv1.3
    std::string subject;
    std::string issuer;
    std::int64_t not_after = 0;  ///< seconds since the epoch
    bool verified = false;
    std::string verify_error;  ///< why not, when !verified
};

/// A connected socket, plain or TLS, with blocking reads and writes bounded
/// by a deadline.
class Connection {
public:
    /// Takes ownership of the connected socket `fd`. Waits end early when
    /// `loop` takes SIGINT or SIGTERM.
    Connection(int fd, std::string peer, std::chrono::milliseconds timeout, EventLoop& loop);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const std::string& peer() const { return peer_; }
    /// Runs the TLS handshake; certificate problems do not fail it, they are
    /// reported in TlsPeer (the caller decides, so --insecure can warn).
    Result<TlsPeer> start_tls(const TlsOptions& options, const std::string& host);
    Status write_all(std::string_view bytes);
    /// Turns a connection to `proxy` into a tunnel to host:port (CONNECT),
    /// before any TLS. Errors are check_connect_answer()'s (407: Exit::auth).
    Status open_tunnel(const ProxyServer& proxy, const std::string& host, std::uint16_t port);
    /// Appends what arrives to `out`; 0 bytes means the peer closed.
    Result<std::size_t> read_some(std::string& out);

private:
    int fd_;
    std::string peer_;
    std::chrono::milliseconds timeout_;
    EventLoop& loop_;
    struct Tls;
    std::unique_ptr<Tls> tls_;
};

/// Connects to the first address that answers within `timeout` (the
/// relay's, or its proxy's: then Connection::open_tunnel follows).
Result<std::unique_ptr<Connection>> open_tcp(const std::vector<Address>& addresses, std::chrono::milliseconds timeout,
                                             EventLoop& loop);

}  // namespace hyco::probe
