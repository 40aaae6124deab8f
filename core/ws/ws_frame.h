// RFC 6455 framing for both roles: a streaming decoder (payload handed on in
// pieces, so frames of any size pass in bounded memory) that checks the
// masking rule of its role, encoders for unmasked server frames and masked
// client frames, and the masking-key source a client needs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hyco::ws {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

constexpr bool is_control(Opcode op) { return static_cast<std::uint8_t>(op) >= 8; }

/// Close codes hyco uses (RFC 6455 §7.4.1).
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

/// Receives decoded data frames (text, binary, continuation): begin, zero
/// or more data pieces, end.
class DataSink {
public:
    virtual ~DataSink() = default;
    virtual void frame_begin(const FrameHeader& h) = 0;
    virtual void frame_data(std::string_view payload) = 0;  ///< already unmasked
    virtual void frame_end() = 0;
};

/// Receives every decoded frame: data frames as DataSink, control frames whole.
class FrameSink : public DataSink {
public:
    virtual void control_frame(Opcode op, std::string_view payload) = 0;
};

/// Which end of the connection decodes: a server reads masked frames only,
/// a client unmasked frames only (RFC 6455 §5.1); the other kind is a 1002.
enum class Role : std::uint8_t { server, client };

struct DecodeLimits {
    std::uint64_t max_frame = std::uint64_t(1) << 32;  ///< larger data frames are refused (1009)
    Role role = Role::server;
};

/// Streaming decoder: feed() any split of the byte stream. Checks reserved
/// bits, opcodes, control-frame rules, masking, lengths and the fragmentation
/// sequence; the first violation stops it with a close code and reason.
class FrameDecoder {
public:
    explicit FrameDecoder(DecodeLimits limits = {}) : limits_(limits) {}

    /// Returns false on a protocol violation (see error_code()/error()).
    /// A sink may call stop() to make feed() return early (after a Close, or
    /// to pause); consumed() then says how much of `data` was used, and
    /// resume() lets the next feed() continue with the rest.
    bool feed(std::string_view data, FrameSink& sink);
    /// The same, unmasking payload where it lies in `data` (which the
    /// caller then no longer needs as received): no copy per piece.
    bool feed_in_place(std::string& data, FrameSink& sink);
    void stop() { stopped_ = true; }
    void resume() { stopped_ = false; }
    bool stopped() const { return stopped_; }
    std::size_t consumed() const { return consumed_; }

    std::uint16_t error_code() const { return error_code_; }
    const std::string& error() const { return error_; }
    /// True between the first and the last frame of a fragmented message.
    bool in_message() const { return in_message_; }

private:
    bool decode(std::string_view data, char* writable, FrameSink& sink);
    bool fail(std::uint16_t code, std::string why);

    DecodeLimits limits_;
    std::array<std::uint8_t, 14> hdr_{};
    std::size_t hdr_have_ = 0;
    bool in_frame_ = false;
    FrameHeader cur_;
    std::uint64_t remaining_ = 0;
    std::uint64_t offset_ = 0;  ///< payload bytes seen, for the mask phase
    std::string control_;
    std::string scratch_;  ///< unmasked copy of a masked piece
    std::size_t consumed_ = 0;
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

using MaskKey = std::array<std::uint8_t, 4>;

/// The header of a masked (client-to-server) frame carrying `mask`.
std::string masked_frame_header(Opcode op, bool fin, std::uint64_t length, MaskKey mask);

/// Writes `n` bytes of `src` XOR the mask to `dst`, starting at payload
/// position `offset` (so a frame can be masked in several pieces).
void mask_copy(char* dst, const char* src, std::size_t n, MaskKey mask, std::uint64_t offset);

/// A whole masked client frame.
std::string client_frame(Opcode op, bool fin, std::string_view payload, MaskKey mask);

/// Masking keys for one client connection. RFC 6455 §5.3 wants keys the
/// application cannot predict, not secrets: a splitmix64 sequence seeded
/// from the CSPRNG gives a fresh key per frame without a syscall each.
class MaskKeys {
public:
    MaskKeys();
    MaskKey next();

private:
    std::uint64_t state_;
};

}  // namespace hyco::ws

namespace hyco {

/// One WebSocket frame to send: a whole message, or one piece of a message
/// too long to hold (first piece: text/binary opcode; later: continuation).
struct Fragment {
    std::string data;
    bool binary = false;
    bool first = true;
    bool final = true;
};

}  // namespace hyco
