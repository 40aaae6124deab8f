// The outgoing side of every hyco WebSocket endpoint, client (WsClient) or
// relay (hyco-relay's Conn): data frames, whole or streamed piece by piece,
// pending control frames and our Close, turned into wire bytes that the
// caller writes straight from the queue (gather/consumed, for sendmsg) or
// copies in bounded batches (fill, for TLS). A client's frames are masked
// in place as they are queued, so no payload byte is copied on the way out.
// Control frames go out only between data frames, never inside one, and
// never ahead of raw bytes (the HTTP head that precedes the frames).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/io/wire_source.h"
#include "core/ws/ws_frame.h"

namespace hyco {

class WsSendQueue final : public WireSource {
public:
    /// Client frames are masked; server frames are not (RFC 6455 §5.1).
    explicit WsSendQueue(ws::Role role = ws::Role::client) : role_(role) {}

    /// Queues one whole data frame.
    void push(Fragment fragment);
    void push(ws::Opcode op, bool fin, std::string payload);
    /// Starts a data frame of `length` payload bytes that arrive later
    /// through data(); nothing queued after it is written until they all
    /// have. Bytes beyond `length` are dropped.
    void begin(ws::Opcode op, bool fin, std::uint64_t length);
    void data(std::string_view piece);
    /// Bytes written verbatim in queue order (an HTTP head or body).
    void raw(std::string bytes);
    /// A Ping to send at the next frame boundary.
    void ping() { ping_ = true; }
    /// A Pong answering a Ping; only the latest one matters (RFC 6455 §5.5.3).
    /// The payload is copied into a buffer kept for the queue's life: a
    /// peer may ping millions of times, and none of them allocates.
    void pong(std::string_view payload) {
        pong_.assign(payload);
        pong_waiting_ = true;
    }
    /// Our Close, sent once every queued frame is out. Nothing queued after
    /// it is sent.
    void close(std::uint16_t code, std::string_view reason);

    /// Points `out` at the next wire bytes, at most `budget` of them, in
    /// order; returns how many entries it used. Nothing is removed until
    /// consumed().
    std::size_t gather(std::span<iovec> out, std::size_t budget);
    /// The first `n` bytes that gather() pointed at have been written.
    void consumed(std::size_t n);
    /// Appends up to `budget` wire bytes to `out` and consumes them.
    std::size_t fill(std::string& out, std::size_t budget) override;
    /// Writes up to `budget` wire bytes straight to the non-blocking socket
    /// `fd` until it is full; returns the bytes written, or -1 if the socket
    /// failed (errno says why).
    std::ptrdiff_t send(int fd, std::size_t budget) override;

    /// Payload bytes of data frames not yet written.
    std::size_t data_bytes() const { return data_bytes_; }
    /// All bytes queued and not yet written (frames, raw bytes, controls).
    std::size_t bytes() const { return bytes_; }
    /// Bytes the queue's buffers hold, written or not: what it costs in
    /// memory beyond capacity slack.
    std::size_t held() const;
    /// Something can be written now.
    bool pending() const;
    bool close_queued() const { return close_.has_value(); }
    /// Our Close has been written in full.
    bool close_sent() const { return close_sent_; }
    /// Drops queued frames (the connection is failing or gone); a frame
    /// partly written is kept so that the peer can still parse what follows.
    void clear();

private:
    struct Item {
        std::string head;     ///< frame header; empty for raw bytes
        std::string payload;  ///< masked for a client; what has arrived of a streamed frame
        std::size_t at = 0;   ///< bytes of head + payload written
        std::uint64_t left = 0;  ///< payload bytes of a streamed frame still to arrive
        std::uint64_t offset = 0;  ///< payload bytes masked so far (the mask's position)
        ws::MaskKey key{};
        bool data = true;     ///< a data frame (raw bytes are not)
        bool touched() const { return at > 0; }
        std::size_t size() const { return head.size() + payload.size(); }
    };

    /// A streamed frame gives up the written part of its payload once that
    /// is most of the buffer: a socket that never quite catches up would
    /// otherwise keep every byte of a frame of any length.
    static constexpr std::size_t kCompactAt = 64 * 1024;

    Item& start(ws::Opcode op, bool fin, std::uint64_t length, bool streamed);
    void append(Item& item, std::string_view piece);
    static void compact(Item& item);
    bool at_boundary() const;
    /// Hands gathered bytes to `write` (returns bytes taken, -1 on error)
    /// until `budget` is spent or it takes less than offered.
    template <class Write>
    std::ptrdiff_t drain(std::size_t budget, Write write);
    void controls();
    void control(ws::Opcode op, std::string_view payload);

    ws::Role role_;
    // A list, not a deque: libstdc++'s deque allocates a 512-byte block
    // while empty, and every idle connection holds a queue.
    std::list<Item> items_;
    Item* filling_ = nullptr;  ///< the first begun frame still waiting for payload
    std::size_t open_frames_ = 0;  ///< begun frames still waiting for payload
    std::string control_;  ///< control frames being written, between items
    std::size_t control_at_ = 0;
    bool close_in_control_ = false;
    std::size_t data_bytes_ = 0;
    std::size_t bytes_ = 0;
    bool ping_ = false;
    std::string pong_;
    bool pong_waiting_ = false;
    std::optional<std::string> close_;
    bool close_serialised_ = false;
    bool close_sent_ = false;
    ws::MaskKeys keys_;
};

}  // namespace hyco
