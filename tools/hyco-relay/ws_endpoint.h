// Server-side WebSocket endpoints on a Conn: core's endpoint rules
// (ws::Endpoint: decoding, Ping/Pong, the peer's Close, violations), writing
// into the Conn's send queue, with the relay's answers; and a message-level
// variant that collects text messages and streams binary ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ws/ws_frame.h"
#include "core/ws/ws_endpoint.h"
#include "tools/hyco-relay/conn.h"

namespace hyco::relay {

class WsEndpoint : public Handler, protected ws::DataSink, private ws::Endpoint::Events {
public:
    WsEndpoint(Conn& conn, ws::DecodeLimits limits) : conn_(conn), ep_(limits, conn.ws_out(), *this, *this) {}
    void on_input(Conn& conn) override;
    WsEndpoint* as_ws_endpoint() override { return this; }

protected:
    /// The peer sent Close. Default: answer it and close the connection.
    virtual void on_peer_close(std::uint16_t code, const std::string& reason);
    /// The peer broke the protocol (our Close with `code` is queued).
    /// Default: hang up once it is out.
    virtual void on_protocol_error(std::uint16_t code, const std::string& why);
    /// Finishes the connection once Close went both ways.
    void finish_if_closed_both_ways();

    Conn& conn_;
    ws::Endpoint ep_;  ///< core's endpoint rules (Ping, Pong, Close, limits)

private:
    void ws_ping(std::string_view payload) override;
    void ws_close(std::uint16_t code, const std::string& reason) override { on_peer_close(code, reason); }
    void ws_violation(std::uint16_t code, const std::string& why) override { on_protocol_error(code, why); }
};

/// Collects text messages (up to `max_text`, else 1009) and streams binary
/// messages piecewise, for the control channel and HTTP rendezvous.
class WsMessageEndpoint : public WsEndpoint {
public:
    WsMessageEndpoint(Conn& conn, std::size_t max_text, std::uint64_t max_frame)
        : WsEndpoint(conn, ws::DecodeLimits{max_frame, ws::Role::server}), max_text_(max_text) {}

protected:
    virtual void on_text(std::string message) = 0;
    virtual void on_binary_data(std::string_view data) = 0;
    virtual void on_binary_end() = 0;

private:
    void frame_begin(const ws::FrameHeader& h) override;
    void frame_data(std::string_view payload) override;
    void frame_end() override;

    bool text_ = false;
    bool final_ = false;
    bool too_big_ = false;
    std::string message_;
    std::size_t max_text_;
};

}  // namespace hyco::relay
