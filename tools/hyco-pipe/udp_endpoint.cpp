// UDP flows (see udp_endpoint.h). UdpFlow holds what both kinds share:
// datagrams queued until the copier takes them, the idle timer, and the
// rule that a flow ends as a whole (a datagram socket has no half-close).
#include "tools/hyco-pipe/udp_endpoint.h"

#include <deque>
#include <map>

#include <fmt/format.h>

#include "core/base/lifetime.h"
#include "tools/hyco-pipe/udp_socket.h"

namespace hyco::pipe {
namespace {

/// Datagrams held for a flow whose consumer is not ready; more are dropped.
constexpr std::size_t kQueueLimit = 1024;

class UdpFlow : public Stream {
public:
    UdpFlow(EventLoop& loop, std::chrono::milliseconds idle, std::string name)
        : loop_(loop), idle_(idle.count() > 0 ? idle : std::chrono::milliseconds(kUdpIdleDefault)),
          name_(std::move(name)), idle_timer_(loop) {}
    ~UdpFlow() override { alive_.end(); }

    void open(Events& events) override {
        events_ = &events;
        loop_.defer([this, alive = alive_.token()] {
            if (!*alive) return;
            if (auto st = start(); !st) return events_->failed(*this, st.error());
            opened_ = true;
            touch();
            events_->opened(*this);
            flush();
        });
    }
    void write(std::string_view bytes) override {
        if (write_ended_) return;
        touch();
        send(bytes);
    }
    bool writable() const override { return true; }
    void close_write() override {
        if (write_ended_) return;
        write_ended_ = true;
        loop_.defer([this, alive = alive_.token()] {
            if (!*alive) return;
            events_->write_end(*this);
            // Nobody answers a flow whose other side is gone.
            end_input();
        });
    }
    void pause(bool paused) override {
        paused_ = paused;
        flush();
    }
    void close_read() override {
        read_closed_ = true;
        queue_.clear();
    }
    std::string describe() const override { return name_; }

    /// A datagram for this flow.
    void deliver(std::string_view datagram) {
        if (read_ended_ || read_closed_) return;
        touch();
        if (!opened_ || paused_ || !queue_.empty()) {
            if (queue_.size() < kQueueLimit) queue_.emplace_back(datagram);
            return;
        }
        events_->data(*this, datagram);
    }

protected:
    virtual Status start() { return {}; }
    virtual void send(std::string_view datagram) = 0;

    void broken(const Error& e) {
        if (read_ended_ || !events_) return;
        read_ended_ = true;
        idle_timer_.cancel();
        events_->failed(*this, e);
    }

    EventLoop& loop_;

private:
    void touch() {
        if (read_ended_ || !opened_) return;
        idle_timer_.start(idle_, [this] { end_input(); });
    }
    void flush() {
        auto alive = alive_.token();
        while (*alive && opened_ && !paused_ && !queue_.empty() && !read_ended_) {
            std::string d = std::move(queue_.front());
            queue_.pop_front();
            events_->data(*this, d);
        }
    }
    void end_input() {
        if (read_ended_) return;
        read_ended_ = true;
        idle_timer_.cancel();
        queue_.clear();
        if (!read_closed_) events_->read_end(*this);
    }

    std::chrono::milliseconds idle_;
    std::string name_;
    Timer idle_timer_;
    Events* events_ = nullptr;
    std::deque<std::string> queue_;
    bool opened_ = false;
    bool paused_ = false;
    bool read_ended_ = false;
    bool read_closed_ = false;
    bool write_ended_ = false;
    Lifetime alive_;
};

/// udp:HOST:PORT, with a socket of its own.
class UdpConnectFlow final : public UdpFlow {
public:
    UdpConnectFlow(EventLoop& loop, const Address& a)
        : UdpFlow(loop, a.idle, a.text), target_{a.host, a.port, {}} {}

private:
    Status start() override {
        auto s = UdpSocket::open(
            loop_, target_, false, [this](std::string_view d, const sockaddr_storage&, socklen_t) { deliver(d); },
            [this](const Error& e) { broken(e); });
        if (!s) return s.error();
        socket_ = std::move(*s);
        return {};
    }
    void send(std::string_view datagram) override {
        if (socket_) socket_->send(datagram);
    }

    SocketAddress target_;
    std::unique_ptr<UdpSocket> socket_;
};

class UdpPeerFlow;

/// What udp-listen's acceptor and its flows share: the socket and which
/// flow each client address belongs to. Flows keep it alive after the
/// acceptor is gone, to answer until their sessions end.
struct UdpHub {
    std::unique_ptr<UdpSocket> socket;
    std::map<std::string, UdpPeerFlow*> flows;  ///< by the sender's raw sockaddr
    Acceptor::Accepted accepted;                ///< empty once the acceptor is gone
    bool paused = false;
};

class UdpPeerFlow final : public UdpFlow {
public:
    UdpPeerFlow(EventLoop& loop, std::shared_ptr<UdpHub> hub, std::string key, const sockaddr_storage& peer,
                socklen_t len, std::chrono::milliseconds idle, std::string name)
        : UdpFlow(loop, idle, std::move(name)), hub_(std::move(hub)), key_(std::move(key)), peer_(peer), len_(len) {}
    ~UdpPeerFlow() override {
        auto it = hub_->flows.find(key_);
        if (it != hub_->flows.end() && it->second == this) hub_->flows.erase(it);
    }

private:
    void send(std::string_view datagram) override {
        if (hub_->socket) hub_->socket->send(datagram, reinterpret_cast<const sockaddr*>(&peer_), len_);
    }

    std::shared_ptr<UdpHub> hub_;
    std::string key_;
    sockaddr_storage peer_;
    socklen_t len_;
};

class UdpAcceptor final : public Acceptor {
public:
    explicit UdpAcceptor(std::shared_ptr<UdpHub> hub) : hub_(std::move(hub)) {}
    ~UdpAcceptor() override { hub_->accepted = nullptr; }
    void pause(bool paused) override { hub_->paused = paused; }
    std::string describe() const override { return hub_->socket->local_name(); }

private:
    std::shared_ptr<UdpHub> hub_;
};

}  // namespace

std::unique_ptr<Stream> make_udp_endpoint(EventLoop& loop, const Address& a) {
    return std::make_unique<UdpConnectFlow>(loop, a);
}

Result<std::unique_ptr<Acceptor>> open_udp_acceptor(EventLoop& loop, const Address& a, const Log& log,
                                                    Acceptor::Accepted accepted) {
    auto hub = std::make_shared<UdpHub>();
    hub->accepted = std::move(accepted);
    std::weak_ptr<UdpHub> weak = hub;
    std::chrono::milliseconds idle = a.idle;
    auto received = [&loop, weak, idle](std::string_view d, const sockaddr_storage& from, socklen_t len) {
        auto h = weak.lock();
        if (!h) return;
        std::string key(reinterpret_cast<const char*>(&from), len);
        if (auto it = h->flows.find(key); it != h->flows.end()) return it->second->deliver(d);
        // A new client while at --max-connections (or stopping): dropped.
        if (!h->accepted || h->paused) return;
        std::string name = datagram_peer_name(from, len);
        auto flow = std::make_unique<UdpPeerFlow>(loop, h, key, from, len, idle, name);
        h->flows[key] = flow.get();
        flow->deliver(d);
        h->accepted(std::move(flow), name, nullptr);
    };
    // Sends on an unconnected socket do not report ICMP errors back.
    auto broken = [&log](const Error& e) { log.warn(e.message()); };
    auto socket = UdpSocket::open(loop, SocketAddress{a.host, a.port, {}}, true, received, broken);
    if (!socket) return socket.error();
    hub->socket = std::move(*socket);
    return std::unique_ptr<Acceptor>(std::make_unique<UdpAcceptor>(std::move(hub)));
}

}  // namespace hyco::pipe
