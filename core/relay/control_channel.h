// The listener's control channel: one WebSocket to the relay's listen URI,
// kept alive with Ping (or unsolicited Pong) frames, its token renewed with renewToken before expiry,
// re-established after any drop on the 0/1/2/5/10/30 s ladder (restarted only
// after it stayed online for Backoff::kSettled), and given up only on what
// waiting cannot fix: 404, an expired pre-issued token, and before it was
// ever online refused credentials (401/403) or a failed certificate check.
// It hands `accept` and `request` messages to its owner.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/relay/backoff.h"
#include "core/relay/client_config.h"
#include "core/relay/control_message.h"
#include "core/ws/ws_client.h"

namespace hyco {

class ControlChannel final : public WsClient::Events {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void channel_online() = 0;
        /// The channel dropped or could not connect; it retries after `retry_in`.
        virtual void channel_offline(const Error& why, std::chrono::seconds retry_in) = 0;
        virtual void channel_accept(const control::Accept& accept) = 0;
        /// An HTTP request (docs/protocol.md §3.4). The full form comes with its
        /// body when `request.body` (the binary message that followed it);
        /// the pointer form (request.is_pointer()) is fetched from the
        /// rendezvous. Answer through respond() or the rendezvous.
        virtual void channel_request(const control::Request& request, std::string body) = 0;
        /// Permanent failure (404, an expired pre-issued token; 401/403 or a
        /// failed certificate check before the first success): no more retries.
        virtual void channel_fatal(const Error& why) = 0;
        virtual void channel_renewed() {}
        /// A new attempt after a drop (1, 2, ...).
        virtual void channel_reconnecting(std::size_t) {}
        virtual void channel_log(const std::string&) {}
    };

    /// The clock the ladder reads (how long a connection stayed up) and how
    /// long a retry really waits for a step of it. Real time by default;
    /// tests walk the ladder, which channel_offline still reports step by
    /// step, without waiting it out.
    struct Pacing {
        std::function<std::chrono::steady_clock::time_point()> now = [] { return std::chrono::steady_clock::now(); };
        std::function<std::chrono::milliseconds(std::chrono::seconds)> wait = [](std::chrono::seconds step) {
            return std::chrono::milliseconds(step);
        };
    };

    ControlChannel(EventLoop& loop, Events& events, RelayTarget target, ClientOptions options,
                   Keepalive keepalive);
    ~ControlChannel() override;

    void start();
    /// Closes the channel for good (Ctrl-C, --once finished).
    void stop();
    /// Before start().
    void set_pacing(Pacing pacing) { pacing_ = std::move(pacing); }
    bool online() const { return ws_ && ws_->is_open(); }
    bool stopped() const { return stopping_ && !ws_; }
    /// sb-hc-id of this listener (a GUID, the same across reconnects).
    const std::string& id() const { return id_; }
    /// Counts connections: a response belongs to the connection its request
    /// came on, and must not be sent on a later one.
    std::uint64_t generation() const { return generation_; }
    /// Sends a response (and its body as the next binary message) if the
    /// connection of `generation` is still open; false otherwise.
    bool respond(std::uint64_t generation, const control::Response& response, const std::string* body);

private:
    void connect();
    void renew();
    /// Ends the channel for good with `why` (channel_fatal).
    void give_up(const Error& why);
    void ws_open(WsClient&) override;
    void ws_data(WsClient&, std::string_view piece, bool final, bool binary) override;
    void ws_closed(WsClient&, const WsClose& close) override;
    void handle_message(const std::string& text);

    EventLoop& loop_;
    Events& events_;
    RelayTarget target_;
    ClientOptions options_;
    Keepalive keepalive_;
    std::string id_;
    std::unique_ptr<WsClient> ws_;
    Backoff backoff_;
    Pacing pacing_;
    Timer retry_timer_;
    Timer renew_timer_;
    std::string message_;
    bool message_binary_ = false;
    bool message_too_big_ = false;
    std::optional<control::Request> awaiting_body_;  ///< a request whose body message comes next
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
    bool connected_once_ = false;
    std::chrono::steady_clock::time_point online_since_;
};

}  // namespace hyco
