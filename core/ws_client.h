// A WebSocket client connection on the event loop: handshake with extra
// headers and subprotocols, a bounded send queue written one frame per
// WRITEABLE, streamed receive, ping-based dead-peer detection, and a
// half-close (our Close frame goes out while we keep reading).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/event_loop.h"
#include "core/framing.h"

namespace hyco {

/// Where to connect and what to put in the upgrade request.
struct WsTarget {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;
    std::string path;  ///< path and query, sent verbatim
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> subprotocols;  ///< offered, in order of preference

    std::string url() const;
};

/// Parses ws://, wss:// (or http/https) URLs such as a rendezvous address.
Result<WsTarget> parse_ws_url(std::string_view url);

struct WsTimeouts {
    std::chrono::milliseconds connect{30000};
    std::chrono::milliseconds ping_interval{0};  ///< 0: no pings
    std::chrono::milliseconds ping_timeout{10000};
};

/// How a connection ended.
struct WsClose {
    enum class Kind {
        peer,    ///< the peer sent Close (we answered it)
        ours,    ///< we sent Close and the peer answered, or we aborted on purpose
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

class WsClient final : public LwsHandler {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void ws_open(WsClient&) {}
        /// A piece of a message; `final` marks the message's last piece.
        virtual void ws_data(WsClient&, std::string_view piece, bool final, bool binary) = 0;
        /// The send queue fell below the low-water mark.
        virtual void ws_drained(WsClient&) {}
        /// Terminal; called once. Do not destroy the client inside it (defer).
        virtual void ws_closed(WsClient&, const WsClose&) = 0;
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
    /// peer answers with its own Close.
    void finish(int code = 1000, std::string reason = {});
    /// Ends the connection now; ws_closed reports `why` (or Kind::ours).
    void abort(std::optional<Error> why = std::nullopt);
    /// Stops (false) or resumes (true) delivery of received data.
    void receive(bool on);

    std::size_t queued() const { return queued_bytes_; }
    bool writable() const { return queued_bytes_ < kHighWater; }
    bool is_open() const { return open_; }
    bool close_sent() const { return close_sent_; }
    const std::string& subprotocol() const { return subprotocol_; }
    const WsTarget& target() const { return target_; }

    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;

private:
    struct Out {
        std::vector<unsigned char> buf;  ///< LWS_PRE headroom + payload
        int flags;
    };
    int on_writeable();
    void terminal(lws* wsi, std::optional<Error> failure);
    void capture_http_failure(lws* wsi, const char* why);
    void want_write();
    void arm_ping();

    EventLoop& loop_;
    Events& events_;
    WsTarget target_;
    WsTimeouts timeouts_;
    std::string protocols_;  // comma list, kept alive for lws
    std::string host_header_;
    lws* wsi_ = nullptr;
    std::deque<Out> queue_;
    std::size_t queued_bytes_ = 0;
    bool open_ = false;
    bool finishing_ = false;
    bool close_sent_ = false;
    bool closed_ = false;
    bool user_abort_ = false;
    bool ping_due_ = false;
    bool in_message_ = false;
    std::vector<unsigned char> close_frame_;
    std::string subprotocol_;
    WsClose result_;
    std::optional<Error> abort_reason_;
    Timer connect_timer_;
    Timer ping_timer_;
    Timer pong_timer_;
};

}  // namespace hyco
