// The listener core shared by hyco-listen and hyco-pipe's relay-listen:
// the control channel (keep-alive, token renewal, the reconnect ladder),
// and for every sender the owner's decision (accept, reject, or decide
// later) turned into a rendezvous RelayStream or a rejection the relay
// confirms. HTTP requests go to the owner with a way to answer on the
// channel that carried them, or are refused here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/base/lifetime.h"
#include "core/base/error.h"
#include "core/relay/accept_info.h"
#include "core/relay/client_config.h"
#include "core/relay/control_channel.h"
#include "core/relay/http_refusals.h"
#include "core/relay/rejections.h"
#include "core/relay/relay_stream.h"

namespace hyco {

class RelayListener final : private ControlChannel::Events {
public:
    /// What the owner decides about a sender.
    struct Admission {
        enum class Kind { accept, reject, later } kind = Kind::accept;
        Verdict verdict;  ///< for reject
        static Admission yes() { return {}; }
        static Admission no(Verdict v) { return {Kind::reject, std::move(v)}; }
        /// The owner calls accept() or reject() itself (an accept hook runs).
        static Admission later() { return {Kind::later, {}}; }
    };

    class Owner {
    public:
        virtual ~Owner() = default;
        virtual void online() = 0;
        virtual void offline(const Error& why, std::chrono::seconds retry_in) = 0;
        /// The channel stopped for good (404, refused credentials).
        virtual void fatal(const Error& why) = 0;
        virtual void renewed() {}
        virtual void reconnecting(std::size_t attempt) { (void)attempt; }
        virtual void log(const std::string& line) { (void)line; }
        /// A sender asks to connect; `subprotocol` is the one both sides speak
        /// (hyco's own end-record protocol included).
        virtual Admission admit(const control::Accept& accept, const ConnectionInfo& info,
                                const std::string& subprotocol) = 0;
        /// Accepted: its rendezvous stream, not yet opened. The owner may still
        /// reject() instead (its command could not start) and drop the stream.
        virtual void accepted(const control::Accept& accept, const ConnectionInfo& info,
                              const std::string& subprotocol, std::unique_ptr<RelayStream> stream) = 0;
        /// Rejected, for the owner's status lines.
        virtual void rejected(const control::Accept& accept, const Verdict& verdict) {
            (void)accept;
            (void)verdict;
        }
        /// An HTTP request; answer through `send` (the channel it came on)
        /// or the rendezvous, or refuse() it.
        virtual void request(const control::Request& request, std::string body, RelayedHttp::ChannelSend send) = 0;
    };

    /// `streams`: the options of every rendezvous stream; `what` names them in errors.
    RelayListener(EventLoop& loop, Owner& owner, RelayTarget target, ClientOptions client, Keepalive keepalive,
                  RelayStreamOptions streams, std::string what);
    ~RelayListener() override;
    RelayListener(const RelayListener&) = delete;
    RelayListener& operator=(const RelayListener&) = delete;

    void start() { channel_.start(); }
    /// Closes the channel for good; rejections and refusals under way finish.
    void stop() { channel_.stop(); }
    /// The channel is closed and no rejection or refusal is still under way.
    bool quiet() const { return channel_.stopped() && rejections_.empty() && http_refusals_.empty(); }
    bool stopped() const { return channel_.stopped(); }

    /// For an admission decided later.
    void accept(const control::Accept& accept, const ConnectionInfo& info, const std::string& subprotocol);
    void reject(const control::Accept& accept, const Verdict& verdict);
    /// Answers an HTTP request with `status` and `reason` (501, 503).
    void refuse(const control::Request& request, std::string body, RelayedHttp::ChannelSend send, int status,
                std::string reason);
    /// Entity of the channel, for connection_info().
    const std::string& entity() const { return target_entity_; }

private:
    void channel_online() override { owner_.online(); }
    void channel_offline(const Error& why, std::chrono::seconds retry_in) override { owner_.offline(why, retry_in); }
    void channel_fatal(const Error& why) override { owner_.fatal(why); }
    void channel_renewed() override { owner_.renewed(); }
    void channel_reconnecting(std::size_t attempt) override { owner_.reconnecting(attempt); }
    void channel_log(const std::string& line) override { owner_.log(line); }
    void channel_accept(const control::Accept& accept) override;
    void channel_request(const control::Request& request, std::string body) override;

    EventLoop& loop_;
    Owner& owner_;
    std::string target_entity_;
    ClientOptions client_;
    RelayStreamOptions streams_;
    std::string what_;
    ControlChannel channel_;
    Rejections rejections_;
    HttpRefusals http_refusals_;
    Lifetime alive_;
};

}  // namespace hyco
