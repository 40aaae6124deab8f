// The relay's answers to core's endpoint rules: a Pong is written (and a
// peer that pings faster than it reads is paused), the peer's Close
// answered, a violation closed with its code.
#include "tools/hyco-relay/ws_endpoint.h"

#include "tools/hyco-relay/context.h"

namespace hyco::relay {

void WsEndpoint::on_input(Conn& conn) {
    std::string data;
    data.swap(conn.in);
    if (ep_.over() || conn.closing()) return;  // nothing may follow a Close
    ep_.feed_in_place(data);  // ours now: unmask where it lies
    if (conn.in.empty()) {
        data.clear();
        conn.in.swap(data);  // the next read reuses the buffer
    }
}

void WsEndpoint::ws_ping(std::string_view) {
    conn_.want_write();
    conn_.throttle(conn_);
}

void WsEndpoint::on_peer_close(std::uint16_t code, const std::string&) {
    conn_.ws_close(code == 1005 ? ws::close_code::normal : code, "");
    finish_if_closed_both_ways();
}

void WsEndpoint::on_protocol_error(std::uint16_t code, const std::string& why) {
    conn_.relay.verbose(conn_.label + ": closing (" + std::to_string(code) + "): " + why);
    conn_.want_write();
    conn_.finish();
}

void WsEndpoint::finish_if_closed_both_ways() {
    if (ep_.closed_both_ways()) conn_.finish();
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
        ep_.fail(ws::close_code::too_big, "text message larger than 64 KiB");
        return;
    }
    std::string m;
    m.swap(message_);
    on_text(std::move(m));
}

}  // namespace hyco::relay
