// Frame codec. The decoder keeps at most one frame header (14 bytes) and one
// control payload (125 bytes); data payloads are unmasked in place and passed
// on, so memory does not grow with frame size.
#include "core/ws/ws_frame.h"

#include <cstring>

#include "core/auth/crypto.h"
#include "core/base/text.h"

namespace hyco::ws {
namespace {

bool known_opcode(std::uint8_t op) { return op <= 2 || (op >= 8 && op <= 10); }

std::size_t header_size(const std::uint8_t* h) {
    std::size_t n = 2;
    std::uint8_t len7 = h[1] & 0x7f;
    if (len7 == 126) n += 2;
    if (len7 == 127) n += 8;
    if (h[1] & 0x80) n += 4;
    return n;
}

}  // namespace

bool FrameDecoder::fail(std::uint16_t code, std::string why) {
    error_code_ = code;
    error_ = std::move(why);
    return false;
}

bool FrameDecoder::feed(std::string_view data, FrameSink& sink) { return decode(data, nullptr, sink); }

bool FrameDecoder::feed_in_place(std::string& data, FrameSink& sink) { return decode(data, data.data(), sink); }

bool FrameDecoder::decode(std::string_view data, char* writable, FrameSink& sink) {
    consumed_ = 0;
    if (error_code_) return false;
    std::size_t pos = 0;
    struct Mark {  // consumed() is right on every return path
        std::size_t& out;
        const std::size_t& pos;
        ~Mark() { out = pos; }
    } mark{consumed_, pos};
    while (pos < data.size() && !stopped_) {
        if (!in_frame_) {
            // Collect the two fixed bytes, then the rest of the header.
            std::size_t need = hdr_have_ < 2 ? 2 : header_size(hdr_.data());
            while (hdr_have_ < need && pos < data.size()) {
                hdr_[hdr_have_++] = static_cast<std::uint8_t>(data[pos++]);
                if (hdr_have_ == 2) need = header_size(hdr_.data());
            }
            if (hdr_have_ < need) return true;
            const std::uint8_t* h = hdr_.data();
            hdr_have_ = 0;
            if (h[0] & 0x70) return fail(close_code::protocol_error, "reserved bits set (no extension was negotiated)");
            std::uint8_t op = h[0] & 0x0f;
            if (!known_opcode(op)) return fail(close_code::protocol_error, "unknown opcode " + std::to_string(op));
            cur_ = FrameHeader{};
            cur_.fin = (h[0] & 0x80) != 0;
            cur_.opcode = static_cast<Opcode>(op);
            cur_.masked = (h[1] & 0x80) != 0;
            std::uint64_t len = h[1] & 0x7f;
            std::size_t i = 2;
            if (len == 126) {
                len = (std::uint64_t(h[2]) << 8) | h[3];
                i = 4;
            } else if (len == 127) {
                len = 0;
                for (int k = 0; k < 8; ++k) len = (len << 8) | h[2 + k];
                i = 10;
                if (len >> 63) return fail(close_code::protocol_error, "64-bit length with the top bit set");
            }
            if (cur_.masked)
                for (int k = 0; k < 4; ++k) cur_.mask[static_cast<std::size_t>(k)] = h[i + static_cast<std::size_t>(k)];
            cur_.length = len;
            if (limits_.role == Role::server && !cur_.masked)
                return fail(close_code::protocol_error, "client frames must be masked");
            if (limits_.role == Role::client && cur_.masked)
                return fail(close_code::protocol_error, "server frames must not be masked");
            if (is_control(cur_.opcode)) {
                if (!cur_.fin) return fail(close_code::protocol_error, "fragmented control frame");
                if (len > 125) return fail(close_code::protocol_error, "control frame longer than 125 bytes");
                control_.clear();
            } else {
                if (cur_.opcode == Opcode::continuation && !in_message_)
                    return fail(close_code::protocol_error, "continuation frame without a message to continue");
                if (cur_.opcode != Opcode::continuation && in_message_)
                    return fail(close_code::protocol_error, "new message started inside a fragmented message");
                if (len > limits_.max_frame)
                    return fail(close_code::too_big, "frame of " + std::to_string(len) + " bytes exceeds the limit");
                in_message_ = !cur_.fin;
                sink.frame_begin(cur_);
            }
            in_frame_ = true;
            remaining_ = len;
            offset_ = 0;
        }
        // Payload (possibly empty).
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - pos));
        std::string_view piece = data.substr(pos, n);
        if (cur_.masked && writable) {
            mask_copy(writable + pos, piece.data(), n, cur_.mask, offset_);
        } else if (cur_.masked) {
            scratch_.resize(n);
            mask_copy(scratch_.data(), piece.data(), n, cur_.mask, offset_);
            piece = scratch_;
        }
        pos += n;
        remaining_ -= n;
        offset_ += n;
        if (is_control(cur_.opcode)) {
            control_ += piece;
        } else if (n) {
            sink.frame_data(piece);
        }
        if (remaining_ == 0) {
            in_frame_ = false;
            if (is_control(cur_.opcode)) sink.control_frame(cur_.opcode, control_);
            else sink.frame_end();
        }
    }
    return true;
}

std::string frame_header(Opcode op, bool fin, std::uint64_t length) {
    std::string h;
    h += static_cast<char>((fin ? 0x80 : 0) | static_cast<std::uint8_t>(op));
    if (length < 126) {
        h += static_cast<char>(length);
    } else if (length <= 0xffff) {
        h += static_cast<char>(126);
        h += static_cast<char>((length >> 8) & 0xff);
        h += static_cast<char>(length & 0xff);
    } else {
        h += static_cast<char>(127);
        for (int k = 7; k >= 0; --k) h += static_cast<char>((length >> (8 * k)) & 0xff);
    }
    return h;
}

std::string frame(Opcode op, bool fin, std::string_view payload) {
    return frame_header(op, fin, payload.size()) + std::string(payload);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
    std::string p;
    p += static_cast<char>(code >> 8);
    p += static_cast<char>(code & 0xff);
    if (reason.size() > 123) {
        std::size_t cut = 123;
        // Do not split a UTF-8 sequence: back up over continuation bytes.
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xc0) == 0x80) --cut;
        reason = reason.substr(0, cut);
    }
    return p + std::string(reason);
}

bool parse_close_payload(std::string_view payload, std::uint16_t& code, std::string& reason) {
    reason.clear();
    if (payload.empty()) {
        code = 1005;
        return true;
    }
    if (payload.size() == 1) return false;
    code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
    bool allowed = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    if (!allowed) return false;
    reason = std::string(payload.substr(2));
    return true;
}

std::string accept_key(std::string_view key) {
    std::string in = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    return text::base64_encode(crypto::sha1(in));
}

std::string masked_frame_header(Opcode op, bool fin, std::uint64_t length, MaskKey mask) {
    std::string h = frame_header(op, fin, length);
    h[1] = static_cast<char>(h[1] | 0x80);
    for (std::uint8_t m : mask) h += static_cast<char>(m);
    return h;
}

void mask_copy(char* dst, const char* src, std::size_t n, MaskKey mask, std::uint64_t offset) {
    // Rotate the key to the payload position, then XOR eight bytes at a
    // time: masking is on the send path of every byte a client writes.
    std::array<std::uint8_t, 8> key8{};
    for (std::size_t k = 0; k < 8; ++k) key8[k] = mask[(offset + k) & 3];
    std::uint64_t word_key = 0;
    std::memcpy(&word_key, key8.data(), 8);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, src + i, 8);
        w ^= word_key;
        std::memcpy(dst + i, &w, 8);
    }
    for (; i < n; ++i) dst[i] = static_cast<char>(src[i] ^ static_cast<char>(key8[i & 7]));
}

std::string client_frame(Opcode op, bool fin, std::string_view payload, MaskKey mask) {
    std::string f = masked_frame_header(op, fin, payload.size(), mask);
    std::size_t at = f.size();
    f.resize(at + payload.size());
    mask_copy(f.data() + at, payload.data(), payload.size(), mask, 0);
    return f;
}

MaskKeys::MaskKeys() {
    std::string seed = crypto::random_bytes(sizeof state_);
    std::memcpy(&state_, seed.data(), sizeof state_);
}

MaskKey MaskKeys::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return {static_cast<std::uint8_t>(z), static_cast<std::uint8_t>(z >> 8), static_cast<std::uint8_t>(z >> 16),
            static_cast<std::uint8_t>(z >> 24)};
}

}  // namespace hyco::ws
