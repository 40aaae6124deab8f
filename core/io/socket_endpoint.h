// Stream sockets by address: a TCP host and port or a Unix socket path, and
// a non-blocking connect on the event loop that hands over a connected
// descriptor (to be wrapped in an FdStream) or a one-line error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>

#include "core/base/lifetime.h"
#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/source_address.h"

namespace hyco {

/// Where a stream socket connects or listens.
struct SocketAddress {
    std::string host;        ///< TCP: name or literal address; empty for Unix
    std::uint16_t port = 0;  ///< TCP port
    std::string unix_path;   ///< set for a Unix domain socket

    bool is_unix() const { return !unix_path.empty(); }
    /// `127.0.0.1:80`, `[::1]:22`, `/run/x.sock`.
    std::string label() const;
};

/// A resolved socket address ready for connect()/bind().
struct ResolvedAddress {
    sockaddr_storage addr{};
    socklen_t len = 0;
    int family = AF_UNSPEC;
};

/// Resolves (getaddrinfo, blocking) a TCP address or builds a Unix one.
/// `passive`: for bind(). Errors are Exit::failure and name the address.
Result<std::vector<ResolvedAddress>> resolve_socket_address(const SocketAddress& a, bool passive);

/// `host:port` of a socket's local or peer end.
std::string socket_name(int fd, bool peer);

/// The setup of a socket we open ourselves (bind, listen, connect) in one
/// place: `step` is that call's result; on failure `fd` is closed and the
/// error carries errno's text.
Status socket_step(int fd, int step, const std::string& what);
/// Puts our new socket `fd` on the loop for `handler`; on failure it is
/// closed and the error says so.
Result<lws*> adopt_socket(EventLoop& loop, int fd, LwsHandler* handler, const std::string& what);

/// Connects without blocking the loop, trying each resolved address in
/// turn. Reports once, always after connect() returned (never inside it).
class SocketConnector {
public:
    /// A connected, non-blocking, close-on-exec descriptor now owned by the
    /// receiver, or the reason none could be had.
    using Done = std::function<void(Result<int>)>;

    SocketConnector(EventLoop& loop, SocketAddress target, std::chrono::milliseconds timeout, Done done);
    ~SocketConnector();
    SocketConnector(const SocketConnector&) = delete;
    SocketConnector& operator=(const SocketConnector&) = delete;

    /// Connects from `source` (before connect()); an address of the other
    /// family is skipped, with the reason in the final error.
    void from(SourceAddress source) { source_ = std::move(source); }
    void connect();

private:
    void try_next();
    void settle();
    void report(Result<int> r);

    EventLoop& loop_;
    SocketAddress target_;
    std::optional<SourceAddress> source_;
    std::chrono::milliseconds timeout_;
    Done done_;
    std::vector<ResolvedAddress> candidates_;
    std::size_t next_ = 0;
    int fd_ = -1;
    FdWatch watch_;  ///< fd_ while its connect is in progress
    std::string last_error_;
    Timer timer_;
    Lifetime alive_;
    bool reported_ = false;
};

}  // namespace hyco
