// relay-listen: a listener control channel whose every `accept` becomes a
// rendezvous RelayStream (protocol.md §3.3, §4). A stand-in until the client
// core's listener can hand over accepted connections: it keeps the channel
// alive with pings, renews a minted token at 80 % of its lifetime, and
// reconnects with the standard back-off once it has been online. A refusal
// on the first attempt (bad key, no such entity, relay down) is fatal.
#include <fmt/format.h>

#include "core/backoff.h"
#include "core/client_config.h"
#include "core/control_message.h"
#include "core/crypto.h"
#include "core/duration.h"
#include "core/relay_errors.h"
#include "core/text.h"
#include "tools/hyco-pipe/relay_endpoint.h"
#include "tools/hyco-pipe/relay_stream.h"

namespace hyco::pipe {
namespace {

class RelayAcceptor final : public Acceptor, private WsClient::Events {
public:
    RelayAcceptor(EventLoop& loop, const PipeConfig& config, const Address& a, const Log& log,
                  Accepted accepted, Failed failed)
        : loop_(loop), config_(config), address_(a), log_(log), accepted_(std::move(accepted)),
          failed_(std::move(failed)), retry_(loop), renew_(loop) {
        target_ = *config.relay;
        target_.entity = a.path;
    }
    ~RelayAcceptor() override {
        *alive_ = false;
        control_.reset();
    }

    void start() { connect(); }
    void pause(bool paused) override { paused_ = paused; }
    std::string describe() const override { return fmt::format("relay entity '{}'", target_.entity); }

private:
    void connect() {
        UriParams params;
        params.id = crypto::uuid4();
        WsTarget t = relay_ws_target(target_, Action::listen, params, config_.client, unix_now());
        WsTimeouts timeouts = config_.client.timeouts;
        // The control channel idles for hours: ping it, as azbridge does (30 s).
        if (timeouts.ping_interval.count() <= 0) timeouts.ping_interval = std::chrono::seconds(30);
        WsClient::Events& self = *this;
        control_ = std::make_unique<WsClient>(loop_, self, std::move(t), timeouts);
        control_->connect();
    }

    void ws_open(WsClient&) override {
        if (online_before_) log_.warn(fmt::format("relay-listen: back online on {}", describe()));
        online_before_ = true;
        backoff_.reset();
        schedule_renewal();
    }

    void schedule_renewal() {
        if (!target_.credentials.can_mint()) return;
        auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(target_.credentials.ttl);
        renew_.start(ttl * 8 / 10, [this] {
            if (control_ && control_->is_open()) {
                auto token = target_.credentials.token_for(target_.ns, target_.entity, unix_now());
                if (token) control_->send_text(control::serialize(control::RenewToken{*token}));
            }
            schedule_renewal();
        });
    }

    void ws_data(WsClient&, std::string_view piece, bool final, bool) override {
        message_.append(piece);
        if (message_.size() > control::kMaxMessageSize) message_.clear();
        if (!final) return;
        std::string text = std::move(message_);
        message_.clear();
        auto msg = control::parse(text);
        if (!msg) {
            log_.warn("relay-listen: ignoring a control message: " + msg.error().message());
            return;
        }
        if (auto* accept = std::get_if<control::Accept>(&*msg)) on_accept(*accept);
        // HTTP requests (`request`) are not streams: the relay answers the sender with a timeout.
    }

    void on_accept(const control::Accept& accept) {
        if (paused_) {
            reject(accept.address, 503, "hyco-pipe is at --max-connections");
            return;
        }
        auto target = parse_ws_url(accept.address);
        if (!target) {
            log_.warn("relay-listen: bad rendezvous address: " + target.error().message());
            return;
        }
        auto stream = std::make_unique<RelayStream>(loop_, std::move(*target), config_.client.timeouts,
                                                    address_.text, false);
        std::string peer = accept.remote.address.empty()
                               ? std::string("relay sender")
                               : fmt::format("{}:{} via relay", accept.remote.address, accept.remote.port);
        accepted_(std::move(stream), peer);
    }

    /// Refuses a sender: the relay answers it with `status` (protocol.md §4.2).
    void reject(const std::string& address, int status, const std::string& why) {
        auto target = parse_ws_url(fmt::format("{}&sb-hc-statusCode={}&sb-hc-statusDescription={}", address,
                                               status, text::encode_component(why)));
        if (!target) return;
        struct Rejection final : WsClient::Events {
            std::unique_ptr<WsClient> ws;
            EventLoop* loop = nullptr;
            void ws_data(WsClient&, std::string_view, bool, bool) override {}
            void ws_closed(WsClient&, const WsClose&) override {
                loop->defer([self = this] { delete self; });  // the 410 that means "done"
            }
        };
        auto* r = new Rejection;
        r->loop = &loop_;
        r->ws = std::make_unique<WsClient>(loop_, *r, std::move(*target), config_.client.timeouts);
        r->ws->connect();
    }

    void ws_closed(WsClient&, const WsClose& close) override {
        renew_.cancel();
        loop_.defer([this, alive = alive_, close] {
            if (!*alive) return;
            control_.reset();
            bool fatal = false;
            Error e = close.established ? make_error(Exit::failure, address_.text, "the relay closed the listener")
                                        : listener_connect_error(close, address_.text, fatal);
            if (!online_before_ || fatal) {
                failed_(e);
                return;
            }
            auto delay = backoff_.next();
            log_.warn(fmt::format("relay-listen: {}; reconnecting in {} s", e.message(), delay.count()));
            retry_.start(std::chrono::duration_cast<std::chrono::milliseconds>(delay), [this] { connect(); });
        });
    }

    EventLoop& loop_;
    const PipeConfig& config_;
    const Address& address_;
    const Log& log_;
    Accepted accepted_;
    Failed failed_;
    RelayTarget target_;
    std::unique_ptr<WsClient> control_;
    std::string message_;
    Backoff backoff_;
    Timer retry_;
    Timer renew_;
    bool paused_ = false;
    bool online_before_ = false;
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
