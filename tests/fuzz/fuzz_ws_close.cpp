// Fuzz target: WebSocket Close payloads, both ways. fuzz_ws_frames only
// feeds them to the parser; here what is parsed must be what was sent, and
// what we build must fit a control frame and parse back to the same code.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/text.h"
#include "core/ws/ws_frame.h"
#include "tests/fuzz/invariant.h"

namespace {

bool sendable(std::uint16_t code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

void parse_received(std::string_view in) {
    std::uint16_t code = 0;
    std::string reason = "stale";
    bool ok = hyco::ws::parse_close_payload(in, code, reason);
    if (in.empty()) {
        require(ok && code == 1005 && reason.empty(), "an empty Close payload means 1005");
        return;
    }
    std::uint16_t wire = static_cast<std::uint16_t>((static_cast<unsigned char>(in[0]) << 8) |
                                                    (in.size() > 1 ? static_cast<unsigned char>(in[1]) : 0));
    require(ok == (in.size() >= 2 && sendable(wire)), "accepted exactly the codes a peer may send");
    if (!ok) return;
    require(code == wire && reason == in.substr(2), "the code and reason are the payload's");
    // A reason a peer could send (control frames carry at most 125 bytes)
    // is rebuilt byte for byte.
    if (in.size() <= 125) require(hyco::ws::close_payload(code, reason) == in, "parse then build round-trips");
}

void build(std::string_view in) {
    if (in.size() < 2) return;
    auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(in[0]) << 8) | static_cast<unsigned char>(in[1]));
    std::string_view reason = in.substr(2);
    std::string p = hyco::ws::close_payload(code, reason);
    require(p.size() >= 2 && p.size() <= 125, "a Close payload fits a control frame");
    std::string_view sent = std::string_view(p).substr(2);
    require(reason.substr(0, sent.size()) == sent, "the reason is cut, never altered");
    if (reason.size() <= 123) require(sent == reason, "a short reason is kept whole");
    if (hyco::text::is_valid_utf8(reason)) require(hyco::text::is_valid_utf8(sent), "the cut keeps UTF-8 whole");
    std::uint16_t back = 0;
    std::string back_reason;
    bool ok = hyco::ws::parse_close_payload(p, back, back_reason);
    require(ok == sendable(code), "what we send parses unless the code may not be sent");
    if (ok) require(back == code && back_reason == sent, "build then parse round-trips");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    parse_received(in);
    build(in);
    return 0;
}
