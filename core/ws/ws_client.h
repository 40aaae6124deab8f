// A WebSocket client connection on the event loop: handshake with extra
// headers and subprotocols, a bounded send queue, streamed receive with flow
// control, ping-based dead-peer detection, and half-close both ways: after
// our Close we keep reading until the peer's, and after the peer's Close we
// keep sending until our side ends. The bytes travel on a ClientTransport
// (TCP, the proxy's CONNECT tunnel, TLS); the frame rules are ws::Endpoint's
// and the send side is WsSendQueue. The WebSocket protocol is ours because
// lws 4.1.6's ws role answers a peer's Close at once and hangs up.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/io/client_transport.h"
#include "core/ws/ws_frame.h"
#include "core/ws/ws_endpoint.h"
#include "core/ws/ws_handshake.h"
#include "core/ws/ws_send_queue.h"

namespace hyco {

/// The frame a keep-alive sends. A Ping must be answered, so it also detects
/// a dead peer; an unsolicited Pong (RFC 6455 §5.5.3) expects no answer and
/// is what Microsoft's .NET and node listeners send (docs/protocol.md §7).
enum class KeepaliveFrame { ping, pong };

struct WsTimeouts {
    std::chrono::milliseconds connect{30000};
    std::chrono::milliseconds ping_interval{0};  ///< 0: no keep-alive frames
    std::chrono::milliseconds ping_timeout{10000};  ///< for KeepaliveFrame::ping
    KeepaliveFrame keepalive_frame = KeepaliveFrame::ping;
};

/// How a connection ended.
struct WsClose {
    enum class Kind {
        peer,    ///< the peer sent Close first (and we sent ours after it)
        ours,    ///< we sent Close first and the peer answered, or we aborted on purpose
        failed,  ///< handshake refused, network error, timeout, ping timeout
    } kind = Kind::failed;
    int code = 0;        ///< WebSocket close code, if a Close frame arrived
    std::string reason;  ///< its reason text
    int http_status = 0; ///< a refused handshake's HTTP status
    std::string http_reason;
    std::vector<std::pair<std::string, std::string>> http_headers;  ///< selected response headers
    std::optional<Error> error;  ///< set when kind == failed
    bool established = false;    ///< the upgrade had succeeded
};

class WsClient final : private ClientTransport::Events, private ws::DataSink, private ws::Endpoint::Events {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void ws_open(WsClient&) {}
        /// A piece of a message; `final` marks the message's last piece.
        virtual void ws_data(WsClient&, std::string_view piece, bool final, bool binary) = 0;
        /// The send queue fell below the low-water mark.
        virtual void ws_drained(WsClient&) {}
        /// The peer sent Close: it sends nothing more, but we may. Call
        /// finish() when our side is done too. The default answers at once.
        virtual void ws_peer_closed(WsClient& ws, int code, const std::string& reason) {
            (void)reason;
            ws.finish(code == 1005 ? 1000 : code);
        }
        /// Terminal; called once. Do not destroy the client inside it (defer).
        virtual void ws_closed(WsClient&, const WsClose&) = 0;
    };

    /// Where the connection is. Closing is not a phase of its own: the
    /// Close handshake's state is the endpoint's (what came) and the send
    /// queue's (what went).
    enum class Phase {
        idle,        ///< connect() not called yet
        connecting,  ///< the transport is not up yet (TCP, proxy, TLS)
        upgrading,   ///< the upgrade request is out, its answer awaited
        open,        ///< frames flow
        closed,      ///< terminal; ws_closed was called
    };

    /// Send-queue size above which producers should pause.
    static constexpr std::size_t kHighWater = 1024 * 1024;
    static constexpr std::size_t kLowWater = 256 * 1024;

    WsClient(EventLoop& loop, Events& events, WsTarget target, WsTimeouts timeouts);
    ~WsClient() override;
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    /// Starts the connection; failures also arrive as ws_closed.
    void connect();
    /// Queues one frame. Ignored after finish().
    void send(Fragment fragment);
    void send_text(std::string text) { send(Fragment{std::move(text), false, true, true}); }
    /// After the queue drains, send Close(code) and keep receiving until the
    /// peer answers with its own Close (or, if the peer's Close came first,
    /// end the connection once ours is out).
    void finish(int code = 1000, std::string reason = {});
    /// Ends the connection now; ws_closed reports `why` (or Kind::ours).
    void abort(std::optional<Error> why = std::nullopt);
    /// Stops (false) or resumes (true) delivery of received data.
    void receive(bool on);

    Phase phase() const { return phase_; }
    std::size_t queued() const { return queue_.data_bytes(); }
    bool writable() const { return queue_.data_bytes() < kHighWater; }
    bool is_open() const { return phase_ == Phase::open; }
    bool close_sent() const { return queue_.close_sent(); }
    /// The peer's Close has arrived (it sends no more).
    bool peer_closed() const { return endpoint_.over(); }
    const std::string& subprotocol() const { return subprotocol_; }
    const WsTarget& target() const { return target_; }

private:
    /// Most wire bytes written (or encrypted) in one writable callback.
    static constexpr std::size_t kWriteBatch = 256 * 1024;

    void transport_up() override;
    void transport_rx(std::string_view plain) override;
    void transport_writable() override;
    void transport_closed(std::optional<Error> failure) override;
    std::string transport_what() const override { return what(); }

    void on_handshake_rx(std::string_view bytes);
    void feed(std::string_view bytes);
    void resume_rx();
    bool reading() const;
    void terminal(std::optional<Error> failure);
    void fail(Error e);
    void want_write();
    void arm_ping();
    std::string what() const;
    /// A failure of the open connection (after the upgrade, or on the way).
    Error connection_error(std::string why) const;

    void frame_begin(const ws::FrameHeader& h) override;
    void frame_data(std::string_view payload) override;
    void frame_end() override;
    void ws_ping(std::string_view payload) override;
    void ws_close(std::uint16_t code, const std::string& reason) override;
    void ws_violation(std::uint16_t code, const std::string& why) override;

    Events& events_;
    WsTarget target_;
    WsTimeouts timeouts_;
    ClientTransport transport_;
    Phase phase_ = Phase::idle;
    std::string key_;           // our Sec-WebSocket-Key
    std::string head_;          // the upgrade answer so far
    std::string rx_stash_;      // received bytes held back while receive(false)
    WsSendQueue queue_;
    ws::Endpoint endpoint_{ws::DecodeLimits{std::uint64_t(1) << 62, ws::Role::client}, queue_, *this, *this};
    bool user_abort_ = false;
    bool paused_ = false;
    bool msg_binary_ = false;
    bool frame_fin_ = false;
    std::uint64_t frame_left_ = 0;
    bool frame_empty_ = false;
    std::string subprotocol_;
    WsClose result_;
    std::optional<Error> abort_reason_;
    Timer connect_timer_;
    Timer ping_timer_;
    Timer pong_timer_;
    Timer resume_timer_;
};

}  // namespace hyco
