// Bridging. Frames are forwarded as they decode — header first, payload in
// pieces — so a 16 MiB message costs no more memory than a small one, and
// the receiving side is paused whenever the other side's queue is full.
#include "tools/hyco-relay/ws_bridge.h"

#include <fmt/format.h>

#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"

namespace hyco::relay {

PendingSender::PendingSender(Conn& conn, std::string id, std::string entity, std::string key, std::string offered)
    : conn_(conn), id_(std::move(id)), entity_(std::move(entity)), key_(std::move(key)), offered_(std::move(offered)),
      timer_(std::make_unique<Timer>(conn.relay.loop())) {
    auto timeout = conn.relay.config().rendezvous_timeout;
    timer_->start(timeout, [this, timeout] {
        conn_.relay.registry().take_accept(id_);
        conn_.relay.verbose(fmt::format("{}: no answer from the listener in time", conn_.label));
        conn_.write(error_response(
            504, fmt::format("GatewayTimeout: the listener did not accept the connection within {} ms.",
                             timeout.count())));
        conn_.finish();
    });
}

PendingSender::~PendingSender() = default;

void PendingSender::on_input(Conn& conn) {
    // Frames cannot precede the 101; keep whatever came for the bridge.
    if (!conn.in.empty()) conn.pause_rx(true);
}

void PendingSender::on_closed(Conn&) {
    timer_->cancel();
    conn_.relay.registry().take_accept(id_);
}

void PendingSender::accept(Conn& listener, const std::string& protocol) {
    timer_->cancel();
    std::string chosen = protocol;
    if (!chosen.empty() && !list_contains(offered_, chosen)) {
        conn_.relay.log(fmt::format("{}: the listener chose subprotocol '{}' that the sender did not offer; "
                                    "not returning it",
                                    conn_.label, chosen));
        chosen.clear();
    }
    conn_.write(upgrade_response(key_, chosen));
    std::uint64_t listener_id = listener.id;
    Conn& self = conn_;
    self.label += " (bridged)";
    listener.label = fmt::format("rendezvous {} #{}", entity_, listener.id);
    listener.set_handler(std::make_unique<BridgeEnd>(listener, self.id, "bridge-listener"));
    self.set_handler(std::make_unique<BridgeEnd>(self, listener_id, "bridge-sender"));  // destroys *this later
    self.pause_rx(false);
    self.relay.kick(self);
}

void PendingSender::listener_gone() {
    timer_->start(kListenerGoneGrace, [this] {
        conn_.relay.registry().take_accept(id_);
        conn_.relay.verbose(fmt::format("{}: the listener went away before accepting", conn_.label));
        conn_.write(error_response(
            502, "BadGateway: the listener's control channel closed before it accepted the connection."));
        conn_.finish();
    });
}

void PendingSender::reject(int status, const std::string& description) {
    timer_->cancel();
    conn_.relay.verbose(fmt::format("{}: rejected by the listener: {} {}", conn_.label, status, description));
    // The header lets clients tell a listener's refusal from the relay's own
    // errors even when the listener picks a status such as 401 or 404.
    conn_.write(error_response(status, description, false, "Hyco-Rejected-By: listener\r\n"));
    conn_.finish();
}

void PendingSender::rendezvous_turned_away(int max_connections) {
    timer_->cancel();
    conn_.relay.verbose(fmt::format("{}: the listener's rendezvous was turned away at the connection limit", conn_.label));
    conn_.write(error_response(503,
                               fmt::format("ServerBusy: the relay serves its maximum of {} connections "
                                           "(--max-connections), so the listener could not reach this "
                                           "connection's rendezvous; retry later.",
                                           max_connections),
                               false, "Retry-After: 5\r\n"));
    conn_.finish();
}

BridgeEnd::BridgeEnd(Conn& conn, std::uint64_t partner, std::string role)
    : WsEndpoint(conn, ws::DecodeLimits{std::uint64_t(1) << 40, ws::Role::server}), partner_(partner), role_(std::move(role)) {}

Conn* BridgeEnd::partner() const {
    Conn* p = conn_.relay.find(partner_);
    return p && !p->closing() ? p : nullptr;
}

void BridgeEnd::frame_begin(const ws::FrameHeader& h) {
    if (Conn* p = partner()) p->ws_begin(h.opcode, h.fin, h.length);
}

void BridgeEnd::frame_data(std::string_view payload) {
    if (Conn* p = partner()) {
        p->ws_data(payload);
        p->throttle(conn_);
    }
}

void BridgeEnd::frame_end() {}

void BridgeEnd::on_peer_close(std::uint16_t code, const std::string& reason) {
    // Forward the Close; this side stays writable by the partner (half-close)
    // until the partner's own Close comes back through partner_closed().
    Conn* p = partner();
    auto* end = p ? p->role<BridgeEnd>() : nullptr;
    if (end) end->partner_closed(code, reason);
    else conn_.ws_close(ws::close_code::going_away, "peer went away");
    finish_if_closed_both_ways();
}

void BridgeEnd::partner_closed(std::uint16_t code, const std::string& reason) {
    conn_.ws_close(code, reason);
    finish_if_closed_both_ways();
}

void BridgeEnd::on_protocol_error(std::uint16_t code, const std::string& why) {
    WsEndpoint::on_protocol_error(code, why);
    if (Conn* p = partner()) {
        p->ws_close(ws::close_code::going_away, "the peer broke the WebSocket protocol");
        p->finish();
    }
}

void BridgeEnd::on_closed(Conn&) {
    // The transport died (or closed after the handshake): tell the partner.
    if (Conn* p = partner()) {
        p->ws_close(ws::close_code::going_away, "the peer went away");
        p->finish();
    }
}

}  // namespace hyco::relay
