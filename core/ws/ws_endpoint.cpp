// See ws_endpoint.h.
#include "core/ws/ws_endpoint.h"

namespace hyco::ws {

bool Endpoint::feed(std::string_view bytes) {
    if (over()) return false;
    if (!decoder_.feed(bytes, *this)) violation(decoder_.error_code(), decoder_.error());
    return !over();
}

bool Endpoint::feed_in_place(std::string& bytes) {
    if (over()) return false;
    if (!decoder_.feed_in_place(bytes, *this)) violation(decoder_.error_code(), decoder_.error());
    return !over();
}

void Endpoint::control_frame(Opcode op, std::string_view payload) {
    if (op == Opcode::ping) {
        tx_.pong(payload);
        return events_.ws_ping(payload);
    }
    if (op == Opcode::pong) return;
    std::uint16_t code = 0;
    std::string reason;
    if (!parse_close_payload(payload, code, reason)) return violation(close_code::protocol_error, "malformed Close frame");
    close_received_ = true;
    decoder_.stop();
    events_.ws_close(code, reason);
}

void Endpoint::violation(std::uint16_t code, const std::string& why) {
    if (over()) return;
    violated_ = true;
    decoder_.stop();
    tx_.clear();
    tx_.close(code, why);
    events_.ws_violation(code, why);
}

}  // namespace hyco::ws
