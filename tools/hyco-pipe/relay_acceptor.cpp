// relay-listen: the core's listener (core/relay/relay_listener.h: the
// control channel with keep-alive, token renewal and the reconnect ladder)
// whose every accepted sender is a rendezvous RelayStream (docs/protocol.md
// §3.3, §4) and every HTTP `request` an HttpStream (§3.4-3.8). Its policy:
// busy at --max-connections, HTTP only both ways. Unlike hyco-listen, a
// failure before the channel was ever online is fatal: a mistyped key or a
// relay that is down should end a forwarding command, not spin.
#include <fmt/format.h>

#include "core/base/text.h"
#include "core/base/lifetime.h"
#include "core/relay/relay_listener.h"
#include "core/relay/relay_stream.h"
#include "tools/hyco-pipe/http_stream.h"
#include "tools/hyco-pipe/relay_endpoint.h"

namespace hyco::pipe {
namespace {

RelayTarget entity_target(const PipeConfig& config, const Address& a) {
    RelayTarget t = *config.relay;
    t.entity = a.path;
    return t;
}

class RelayAcceptor final : public Acceptor, private RelayListener::Owner {
public:
    RelayAcceptor(EventLoop& loop, const PipeConfig& config, const Address& a, const Log& log, Accepted accepted,
                  Failed failed)
        : loop_(loop), config_(config), address_(a), log_(log), accepted_(std::move(accepted)),
          failed_(std::move(failed)),
          // Binary streams: a message per chunk, payloads written raw.
          core_(loop, *this, entity_target(config, a), config.client, config.keepalive, RelayStreamOptions{}, a.text),
          entity_(a.path) {}
    ~RelayAcceptor() override { alive_.end(); }

    void start() { core_.start(); }
    void pause(bool paused) override { paused_ = paused; }
    std::string describe() const override { return fmt::format("relay entity '{}'", entity_); }

private:
    void online() override {
        if (online_before_) log_.warn(fmt::format("relay-listen: back online on {}", describe()));
        online_before_ = true;
    }

    void offline(const Error& why, std::chrono::seconds retry_in) override {
        if (!online_before_) return fail(why);
        log_.warn(fmt::format("relay-listen: offline: {}; reconnecting in {} s", why.message(), retry_in.count()));
    }

    void fatal(const Error& why) override { fail(why); }

    void log(const std::string& line) override { log_.warn("relay-listen: " + line); }

    RelayListener::Admission admit(const control::Accept&, const ConnectionInfo&, const std::string&) override {
        if (paused_) return RelayListener::Admission::no({503, "hyco-pipe is at --max-connections"});
        return RelayListener::Admission::yes();
    }

    void accepted(const control::Accept& accept, const ConnectionInfo&, const std::string&,
                  std::unique_ptr<RelayStream> stream) override {
        if (!address_.azbridge && config_.other(address_).is_udp()) stream->whole_messages();
        std::string peer = accept.remote.address.empty()
                               ? std::string("relay sender")
                               : fmt::format("{}:{} via relay", text::printable(accept.remote.address), accept.remote.port);
        accepted_(std::move(stream), peer, nullptr);
    }

    void request(const control::Request& request, std::string body, RelayedHttp::ChannelSend send) override {
        if (paused_)
            return core_.refuse(request, std::move(body), std::move(send), 503,
                                "Service Unavailable: hyco-pipe is at --max-connections");
        if (config_.direction != Direction::both) {
            // An answer needs both directions.
            return core_.refuse(request, std::move(body), std::move(send), 501,
                                "Not Implemented: this listener relays one-way streams only");
        }
        std::string peer = request.remote.address.empty()
                               ? std::string("HTTP sender via relay")
                               : fmt::format("{}:{} (HTTP) via relay", text::printable(request.remote.address), request.remote.port);
        accepted_(std::make_unique<HttpStream>(loop_, request, std::move(body), std::move(send),
                                               config_.client.timeouts, config_.http_timeout, entity_),
                  peer, nullptr);
    }

    /// Reports once, after the current callback: the owner may destroy us.
    void fail(const Error& why) {
        core_.stop();
        if (failed_once_) return;
        failed_once_ = true;
        Error e = why;
        if (e.what.empty()) e.what = address_.text;
        loop_.defer([this, alive = alive_.token(), e] {
            if (*alive) failed_(e);
        });
    }

    EventLoop& loop_;
    const PipeConfig& config_;
    const Address& address_;
    const Log& log_;
    Accepted accepted_;
    Failed failed_;
    RelayListener core_;
    std::string entity_;
    bool paused_ = false;
    bool online_before_ = false;
    bool failed_once_ = false;
    Lifetime alive_;
};

}  // namespace

Result<std::unique_ptr<Acceptor>> open_relay_acceptor(EventLoop& loop, const PipeConfig& config, const Address& a,
                                                      const Log& log, Acceptor::Accepted accepted,
                                                      Acceptor::Failed failed) {
    auto acceptor = std::make_unique<RelayAcceptor>(loop, config, a, log, std::move(accepted), std::move(failed));
    acceptor->start();
    return std::unique_ptr<Acceptor>(std::move(acceptor));
}

}  // namespace hyco::pipe
