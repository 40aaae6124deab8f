// WebSocket endpoint behaviour shared by every relay hop: Ping is answered
// locally, unsolicited Pong accepted, Close answered, violations closed.
#include "tools/hyco-relay/ws_endpoint.h"

#include "tools/hyco-relay/relay.h"

namespace hyco::relay {

void WsEndpoint::on_input(Conn& conn) {
    std::string data;
    data.swap(conn.in);
    if (close_received_ || conn.closing()) return;  // nothing may follow a Close
    if (!decoder_.feed(data, *this)) on_protocol_error(decoder_.error_code(), decoder_.error());
}

void WsEndpoint::control_frame(ws::Opcode op, std::string_view payload) {
    if (op == ws::Opcode::ping) {
        conn_.ws_frame(ws::Opcode::pong, true, payload);
        conn_.throttle(conn_);
        return;
    }
    if (op == ws::Opcode::pong) return;  // keep-alive from .NET and node listeners
    std::uint16_t code = 0;
    std::string reason;
    if (!ws::parse_close_payload(payload, code, reason)) {
        on_protocol_error(ws::close_code::protocol_error, "malformed Close frame");
        return;
    }
    close_received_ = true;
    decoder_.stop();
    on_peer_close(code, reason);
}

void WsEndpoint::on_peer_close(std::uint16_t code, const std::string&) {
    conn_.ws_close(code == 1005 ? ws::close_code::normal : code, "");
    finish_if_closed_both_ways();
}

void WsEndpoint::on_protocol_error(std::uint16_t code, const std::string& why) {
    conn_.relay.verbose(conn_.label + ": closing (" + std::to_string(code) + "): " + why);
    conn_.ws_close(code, why);
    conn_.finish();
}

void WsEndpoint::finish_if_closed_both_ways() {
    if (close_received_ && conn_.ws_close_sent()) conn_.finish();
}

void WsMessageEndpoint::frame_begin(const ws::FrameHeader& h) {
    if (h.opcode != ws::Opcode::continuation) {
        text_ = h.opcode == ws::Opcode::text;
        message_.clear();
        too_big_ = false;
    }
    final_ = h.fin;
    if (text_ && message_.size() + h.length > max_text_) too_big_ = true;
}

void WsMessageEndpoint::frame_data(std::string_view payload) {
    if (!text_) {
        on_binary_data(payload);
        return;
    }
    if (!too_big_) message_.append(payload);
}

void WsMessageEndpoint::frame_end() {
    if (!final_) return;
    if (!text_) {
        on_binary_end();
        return;
    }
    if (too_big_) {
        decoder_.stop();
        on_protocol_error(ws::close_code::too_big, "text message larger than 64 KiB");
        return;
    }
    std::string m;
    m.swap(message_);
    on_text(std::move(m));
}

}  // namespace hyco::relay
