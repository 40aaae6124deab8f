// relay-listen: the client core's listener control channel (keep-alive,
// token renewal, the reconnect ladder) whose every `accept` becomes a
// rendezvous RelayStream (docs/protocol.md §3.3, §4) and every HTTP `request` an
// HttpStream (§3.4-3.8). Unlike hyco-listen, a
// failure before the channel was ever online is fatal: a mistyped key or a
// relay that is down should end a forwarding command, not spin.
#include <fmt/format.h>

#include "core/base/text.h"
#include "core/relay/accept_info.h"
#include "core/relay/control_channel.h"
#include "core/relay/http_refusals.h"
#include "core/relay/rejections.h"
#include "tools/hyco-pipe/http_stream.h"
#include "tools/hyco-pipe/relay_endpoint.h"
#include "core/stream/relay_stream.h"

namespace hyco::pipe {
namespace {

RelayTarget entity_target(const PipeConfig& config, const Address& a) {
    RelayTarget t = *config.relay;
    t.entity = a.path;
    return t;
}

class RelayAcceptor final : public Acceptor, private ControlChannel::Events {
public:
    RelayAcceptor(EventLoop& loop, const PipeConfig& config, const Address& a, const Log& log, Accepted accepted,
                  Failed failed)
        : loop_(loop), config_(config), address_(a), log_(log), accepted_(std::move(accepted)),
          failed_(std::move(failed)), channel_(loop, *this, entity_target(config, a), config.client, config.keepalive),
          rejections_(loop), http_refusals_(loop), entity_(a.path) {}
    ~RelayAcceptor() override { *alive_ = false; }

    void start() { channel_.start(); }
    void pause(bool paused) override { paused_ = paused; }
    std::string describe() const override { return fmt::format("relay entity '{}'", entity_); }

private:
    void channel_online() override {
        if (online_before_) log_.warn(fmt::format("relay-listen: back online on {}", describe()));
        online_before_ = true;
    }

    void channel_offline(const Error& why, std::chrono::seconds retry_in) override {
        if (!online_before_) return fail(why);
        log_.warn(fmt::format("relay-listen: offline: {}; reconnecting in {} s", why.message(), retry_in.count()));
    }

    void channel_fatal(const Error& why) override { fail(why); }

    void channel_accept(const control::Accept& accept) override {
        if (paused_) {
            auto st = rejections_.send(accept.address, {503, "hyco-pipe is at --max-connections"});
            if (!st) log_.warn("relay-listen: cannot reject: " + st.error().message());
            return;
        }
        auto target = parse_ws_url(accept.address);
        if (!target) {
            log_.warn("relay-listen: bad rendezvous address: " + target.error().message());
            return;
        }
        // The sender's offer decides the mode: end records with a hyco sender.
        auto sub = choose_subprotocol(connection_info(accept, entity_).offered_subprotocols, config_.client.subprotocols);
        if (!sub) {
            auto st = rejections_.send(accept.address, {400, "No common subprotocol"});
            if (!st) log_.warn("relay-listen: cannot reject: " + st.error().message());
            return;
        }
        if (!sub->empty()) target->subprotocols = {*sub};
        RelayStreamOptions options;
        options.sender = false;
        auto stream = std::make_unique<RelayStream>(loop_, std::move(*target), config_.client.timeouts,
                                                    address_.text, options);
        if (!address_.azbridge && config_.other(address_).is_udp()) stream->whole_messages();
        std::string peer = accept.remote.address.empty()
                               ? std::string("relay sender")
                               : fmt::format("{}:{} via relay", text::printable(accept.remote.address), accept.remote.port);
        accepted_(std::move(stream), peer, nullptr);
    }

    void channel_request(const control::Request& request, std::string body) override {
        std::uint64_t gen = channel_.generation();
        RelayedHttp::ChannelSend send = [this, alive = alive_, gen](const control::Response& r, const std::string* b) {
            return *alive && channel_.respond(gen, r, b);
        };
        if (paused_) {
            http_refusals_.refuse(request, std::move(body), std::move(send), config_.client.timeouts, 503,
                                  "Service Unavailable: hyco-pipe is at --max-connections");
            return;
        }
        if (config_.direction != Direction::both) {
            // An answer needs both directions.
            http_refusals_.refuse(request, std::move(body), std::move(send), config_.client.timeouts, 501,
                                  "Not Implemented: this listener relays one-way streams only");
            return;
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
        channel_.stop();
        if (failed_once_) return;
        failed_once_ = true;
        Error e = why;
        if (e.what.empty()) e.what = address_.text;
        loop_.defer([this, alive = alive_, e] {
            if (*alive) failed_(e);
        });
    }

    EventLoop& loop_;
    const PipeConfig& config_;
    const Address& address_;
    const Log& log_;
    Accepted accepted_;
    Failed failed_;
    ControlChannel channel_;
    Rejections rejections_;
    HttpRefusals http_refusals_;
    std::string entity_;
    bool paused_ = false;
    bool online_before_ = false;
    bool failed_once_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
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
