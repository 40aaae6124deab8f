// RFC 6455 framing, server side: a streaming decoder for masked client frames
// (payload handed on in pieces, so frames of any size pass in bounded memory)
// and encoders for unmasked server frames.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hyco::relay::ws {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

constexpr bool is_control(Opcode op) { return static_cast<std::uint8_t>(op) >= 8; }

/// Close codes the relay uses (RFC 6455 §7.4.1).
namespace close_code {
constexpr std::uint16_t normal = 1000;
constexpr std::uint16_t going_away = 1001;
constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t policy_violation = 1008;
constexpr std::uint16_t too_big = 1009;
constexpr std::uint16_t internal_error = 1011;
}  // namespace close_code

struct FrameHeader {
    bool fin = true;
    Opcode opcode = Opcode::binary;
    bool masked = false;
    std::uint64_t length = 0;
    std::array<std::uint8_t, 4> mask{};
};

/// Receives decoded frames. Data frames (text, binary, continuation) arrive
/// as begin / zero or more data pieces / end; control frames whole.
class FrameSink {
public:
    virtual ~FrameSink() = default;
    virtual void frame_begin(const FrameHeader& h) = 0;
    virtual void frame_data(std::string_view payload) = 0;  ///< already unmasked
    virtual void frame_end() = 0;
    virtual void control_frame(Opcode op, std::string_view payload) = 0;
};

struct DecodeLimits {
    std::uint64_t max_frame = std::uint64_t(1) << 32;  ///< larger data frames are refused (1009)
    bool require_mask = true;                          ///< clients must mask (RFC 6455 §5.1)
};

/// Streaming decoder: feed() any split of the byte stream. Checks reserved
/// bits, opcodes, control-frame rules, masking, lengths and the fragmentation
/// sequence; the first violation stops it with a close code and reason.
class FrameDecoder {
public:
    explicit FrameDecoder(DecodeLimits limits = {}) : limits_(limits) {}

    /// Returns false on a protocol violation (see error_code()/error()).
    /// A sink may call stop() to make feed() return early (e.g. after a Close).
    bool feed(std::string_view data, FrameSink& sink);
    void stop() { stopped_ = true; }
    bool stopped() const { return stopped_; }

    std::uint16_t error_code() const { return error_code_; }
    const std::string& error() const { return error_; }
    /// True between the first and the last frame of a fragmented message.
    bool in_message() const { return in_message_; }

private:
    bool fail(std::uint16_t code, std::string why);

    DecodeLimits limits_;
    std::array<std::uint8_t, 14> hdr_{};
    std::size_t hdr_have_ = 0;
    bool in_frame_ = false;
    FrameHeader cur_;
    std::uint64_t remaining_ = 0;
    std::uint64_t offset_ = 0;  ///< payload bytes seen, for the mask phase
    std::string control_;
    bool in_message_ = false;
    bool stopped_ = false;
    std::uint16_t error_code_ = 0;
    std::string error_;
};

/// The header of an unmasked (server-to-client) frame.
std::string frame_header(Opcode op, bool fin, std::uint64_t length);

/// A whole unmasked frame.
std::string frame(Opcode op, bool fin, std::string_view payload);

/// A Close payload: code in network order plus a reason cut to 123 bytes at
/// a UTF-8 boundary.
std::string close_payload(std::uint16_t code, std::string_view reason);

/// Splits a received Close payload; code 1005 when the payload is empty.
/// False when it is malformed (1 byte, or a code that may not be sent).
bool parse_close_payload(std::string_view payload, std::uint16_t& code, std::string& reason);

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2).
std::string accept_key(std::string_view key);

/// A masked client frame (for tests and fakes).
std::string client_frame(Opcode op, bool fin, std::string_view payload, std::array<std::uint8_t, 4> mask);

}  // namespace hyco::relay::ws
