// A non-blocking UDP socket on the event loop: bound (udp-listen:) or
// connected (udp:), reporting each datagram with its sender. Sends never
// wait: a datagram the kernel cannot take now is dropped and counted, as
// UDP itself would drop it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

#include "core/base/lifetime.h"
#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/socket_endpoint.h"

namespace hyco::pipe {

class UdpSocket final : public LwsHandler {
public:
    /// One datagram and who sent it.
    using Received = std::function<void(std::string_view datagram, const sockaddr_storage& from, socklen_t len)>;
    /// Receiving failed (a connected socket's ICMP "port unreachable").
    using Broken = std::function<void(const Error&)>;

    /// `bind_local`: bind to `where` (udp-listen:); else connect to it (udp:).
    static Result<std::unique_ptr<UdpSocket>> open(EventLoop& loop, const SocketAddress& where, bool bind_local,
                                                   Received received, Broken broken);
    ~UdpSocket() override;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    void pause(bool paused);
    /// Sends one datagram, to `to` or (null) the connected peer.
    void send(std::string_view datagram, const sockaddr* to = nullptr, socklen_t len = 0);
    const std::string& local_name() const { return local_name_; }
    std::uint64_t dropped() const { return dropped_; }

    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;

private:
    UdpSocket(Received received, Broken broken) : received_(std::move(received)), broken_(std::move(broken)) {}

    Received received_;
    Broken broken_;
    lws* wsi_ = nullptr;
    int fd_ = -1;
    bool paused_ = false;
    std::string what_;
    std::string local_name_;
    std::uint64_t dropped_ = 0;
    std::vector<char> buffer_;
    Lifetime alive_;
};

/// `127.0.0.1:53` or `[::1]:53`.
std::string datagram_peer_name(const sockaddr_storage& a, socklen_t len);

}  // namespace hyco::pipe
