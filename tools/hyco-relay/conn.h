// One accepted TCP (or TLS) connection in the raw-socket role: bytes in,
// a bounded output queue out (core's WsSendQueue in the server role: raw
// HTTP bytes, then frames that are never split by control frames), receive
// flow control, and a replaceable protocol Handler.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <libwebsockets.h>

#include "core/io/event_loop.h"
#include "core/ws/ws_frame.h"
#include "core/ws/ws_send_queue.h"

namespace hyco::relay {

class BridgeEnd;
class Conn;
class ListenerChannel;
class HttpExchange;
class PendingSender;
class Context;
class WsEndpoint;

/// What a connection is doing: reading a request head, a control channel,
/// one end of a bridge, an HTTP exchange... Handlers consume Conn::in.
class Handler {
public:
    virtual ~Handler() = default;
    /// New bytes are in conn.in (or a paused handler was resumed).
    virtual void on_input(Conn& conn) = 0;
    /// The transport is gone; called once, before the Conn is destroyed.
    virtual void on_closed(Conn&) {}
    /// Short name for logs and the status report.
    virtual const char* kind() const = 0;

    /// The role a handler plays, for Conn::role<T>(): each role class
    /// answers for itself, so that finding a connection's control channel
    /// or held sender is a typed lookup rather than a cast that may fail.
    virtual ListenerChannel* as_listener_channel() { return nullptr; }
    virtual PendingSender* as_pending_sender() { return nullptr; }
    virtual BridgeEnd* as_bridge_end() { return nullptr; }
    virtual HttpExchange* as_http_exchange() { return nullptr; }
    virtual WsEndpoint* as_ws_endpoint() { return nullptr; }
};

class Conn final : public LwsHandler {
public:
    /// Output queue sizes that pause and resume the feeding connection.
    static constexpr std::size_t kHighWater = 512 * 1024;
    static constexpr std::size_t kLowWater = 128 * 1024;

    Conn(Context& relay, lws* wsi, std::uint64_t id);
    ~Conn() override;
    /// Its socket's lws events, handed to the relay.
    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;

    Context& relay;
    lws* const wsi;
    const std::uint64_t id;
    std::string peer_address;
    int peer_port = 0;
    std::int64_t opened_at = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0;
    std::string in;  ///< received, not yet consumed by the handler
    std::string label;  ///< what it is, for logs: "listener hyco", ...

    // --- output ---
    void write(std::string_view bytes);
    void write_owned(std::string bytes);  ///< write() without copying a built string
    std::size_t queued() const { return out_.bytes(); }
    bool over_high_water() const { return out_.bytes() > kHighWater; }
    /// Close once everything queued has been written: half-close (FIN) and
    /// discard input until the peer closes too (at most kLinger), so the
    /// peer reads our last answer instead of a reset.
    void finish();
    static constexpr std::chrono::milliseconds kLinger{2000};
    /// Drop the connection now (queued output is lost).
    void abort();
    bool closing() const { return finishing_ || aborted_; }

    // --- WebSocket output (server frames, unmasked) ---
    /// Starts a data frame whose payload follows through ws_data().
    void ws_begin(ws::Opcode op, bool fin, std::uint64_t length);
    void ws_data(std::string_view payload);
    /// A whole data frame.
    void ws_frame(ws::Opcode op, bool fin, std::string payload);
    /// The queue a WebSocket endpoint on this connection answers into; call
    /// want_write() after queueing (it may write at once).
    WsSendQueue& ws_out() { return out_; }
    void want_write();
    /// Sends Close once, after the queued frames; later calls do nothing.
    void ws_close(std::uint16_t code, std::string_view reason);
    bool ws_close_sent() const { return out_.close_queued(); }

    // --- flow control ---
    /// Stops reading from `source` while this connection's queue is full;
    /// reading resumes when the queue drains below the low-water mark.
    void throttle(Conn& source);
    void pause_rx(bool paused);
    bool rx_paused() const { return rx_paused_; }

    // --- protocol ---
    Handler* handler() const { return handler_.get(); }
    /// The handler if it plays role T (ListenerChannel, PendingSender,
    /// BridgeEnd, HttpExchange or WsEndpoint), else nullptr.
    template <class T>
    T* role() const {
        if (!handler_) return nullptr;
        if constexpr (std::is_same_v<T, ListenerChannel>) return handler_->as_listener_channel();
        else if constexpr (std::is_same_v<T, PendingSender>) return handler_->as_pending_sender();
        else if constexpr (std::is_same_v<T, BridgeEnd>) return handler_->as_bridge_end();
        else if constexpr (std::is_same_v<T, HttpExchange>) return handler_->as_http_exchange();
        else {
            static_assert(std::is_same_v<T, WsEndpoint>, "Conn::role: not a role a Handler declares");
            return handler_->as_ws_endpoint();
        }
    }
    /// Installs a new handler; the old one is destroyed after the callback.
    void set_handler(std::unique_ptr<Handler> h);
    /// Runs the handler over `in` until it stops changing handlers.
    void dispatch();

    // Called by Relay from lws callbacks.
    /// Bytes arrived: from now on the relay's own timers govern the
    /// connection (see clear_lws_timeout in conn.cpp).
    void on_received(const char* data, std::size_t len);
    int on_writable(std::string& scratch);
    void on_closed();

private:
    void request_writable();

    WsSendQueue out_{ws::Role::server};
    /// A WRITEABLE is asked for: the socket was full, or a close or TLS
    /// write waits for it. Writes then wait for it too.
    bool write_wanted_ = false;
    bool finishing_ = false;
    bool aborted_ = false;
    bool rx_paused_ = false;
    bool closed_ = false;
    bool shut_wr_ = false;
    bool lws_timeout_cleared_ = false;
    std::unique_ptr<Timer> linger_;
    std::vector<std::uint64_t> throttled_;
    std::unique_ptr<Handler> handler_;
};

}  // namespace hyco::relay
