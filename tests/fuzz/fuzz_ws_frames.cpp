// Fuzz target: the WebSocket frame decoder (both roles, any split of the
// byte stream) and Close payloads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ws/ws_frame.h"

namespace {

struct Sink final : hyco::ws::FrameSink {
    std::uint64_t bytes = 0;
    void frame_begin(const hyco::ws::FrameHeader&) override {}
    void frame_data(std::string_view payload) override { bytes += payload.size(); }
    void frame_end() override {}
    void control_frame(hyco::ws::Opcode op, std::string_view payload) override {
        if (op != hyco::ws::Opcode::close) return;
        std::uint16_t code = 0;
        std::string reason;
        (void)hyco::ws::parse_close_payload(payload, code, reason);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    // Byte 0: role and frame limit; byte 1: where the stream is split.
    hyco::ws::DecodeLimits limits;
    limits.role = (data[0] & 1) ? hyco::ws::Role::client : hyco::ws::Role::server;
    limits.max_frame = (data[0] & 2) ? 64 : limits.max_frame;
    std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
    std::size_t split = in.empty() ? 0 : data[1] % (in.size() + 1);
    hyco::ws::FrameDecoder decoder(limits);
    Sink sink;
    // The sink never stops the decoder, so each feed takes the whole piece.
    if (!decoder.feed(in.substr(0, split), sink)) return 0;
    (void)decoder.feed(in.substr(split), sink);
    std::uint16_t code = 0;
    std::string reason;
    (void)hyco::ws::parse_close_payload(in, code, reason);
    return 0;
}
