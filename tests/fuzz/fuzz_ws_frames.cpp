// Fuzz target: the WebSocket frame decoder (both roles, any split of the
// byte stream) and Close payloads. Decoding in place (the relay's way)
// must see exactly what decoding into scratch sees.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ws/ws_frame.h"
#include "tests/fuzz/invariant.h"

namespace {

struct Sink final : hyco::ws::FrameSink {
    std::string log;  // every event and payload byte, in order
    void frame_begin(const hyco::ws::FrameHeader& h) override {
        log += 'B';
        log += static_cast<char>(h.opcode);
        log += std::to_string(h.length);
    }
    void frame_data(std::string_view payload) override {
        log += 'D';
        log.append(payload);
    }
    void frame_end() override { log += 'E'; }
    void control_frame(hyco::ws::Opcode op, std::string_view payload) override {
        log += 'C';
        log += static_cast<char>(op);
        log.append(payload);
        if (op != hyco::ws::Opcode::close) return;
        std::uint16_t code = 0;
        std::string reason;
        (void)hyco::ws::parse_close_payload(payload, code, reason);
    }
};

// Feeds the two pieces; returns the decoder's verdict on the second.
bool decode(hyco::ws::DecodeLimits limits, std::string first, std::string second, bool in_place, Sink& sink,
            std::uint16_t& error) {
    hyco::ws::FrameDecoder decoder(limits);
    // The sink never stops the decoder, so each feed takes the whole piece.
    bool ok = in_place ? decoder.feed_in_place(first, sink) : decoder.feed(first, sink);
    if (ok) ok = in_place ? decoder.feed_in_place(second, sink) : decoder.feed(second, sink);
    error = decoder.error_code();
    return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // Byte 0: role and frame limit; byte 1: where the stream is split.
    hyco::ws::DecodeLimits limits;
    limits.role = (data[0] & 1) ? hyco::ws::Role::client : hyco::ws::Role::server;
    limits.max_frame = (data[0] & 2) ? 64 : limits.max_frame;
    std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
    std::size_t split = in.empty() ? 0 : data[1] % (in.size() + 1);
    Sink copied, in_place;
    std::uint16_t copied_error = 0, in_place_error = 0;
    bool a = decode(limits, std::string(in.substr(0, split)), std::string(in.substr(split)), false, copied, copied_error);
    bool b = decode(limits, std::string(in.substr(0, split)), std::string(in.substr(split)), true, in_place, in_place_error);
    require(a == b && copied_error == in_place_error, "in-place decoding reaches the same verdict");
    require(copied.log == in_place.log, "in-place decoding delivers the same frames and bytes");
    std::uint16_t code = 0;
    std::string reason;
    (void)hyco::ws::parse_close_payload(in, code, reason);
    return 0;
}
