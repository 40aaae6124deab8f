// The outgoing side of a client WebSocket: queued data frames, pending
// control frames and our Close, turned into wire bytes (masked) in batches
// of bounded size. A large frame may span batches; control frames go out
// only between data frames, never inside one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "core/stream/framing.h"
#include "core/ws/ws_frame.h"

namespace hyco {

class WsSendQueue {
public:
    /// Queues one data frame.
    void push(Fragment fragment);
    /// A Ping to send at the next frame boundary.
    void ping() { ping_ = true; }
    /// A Pong answering a Ping; only the latest one matters (RFC 6455 §5.5.3).
    void pong(std::string payload) { pong_ = std::move(payload); }
    /// Our Close, sent once every queued data frame is out.
    void close(std::uint16_t code, std::string_view reason);

    /// Appends wire bytes to `out`: pending control frames, then data frames
    /// until about `budget` payload bytes, then the Close if all data is out.
    /// Returns the payload bytes of data frames taken (for queue accounting).
    std::size_t fill(std::string& out, std::size_t budget);

    /// Payload bytes of data frames not yet taken by fill().
    std::size_t data_bytes() const { return data_bytes_; }
    /// Something is waiting for fill().
    bool pending() const { return !close_taken_ && (!frames_.empty() || ping_ || pong_ || close_); }
    bool close_queued() const { return close_.has_value(); }
    /// fill() has emitted the Close frame.
    bool close_taken() const { return close_taken_; }
    /// Drops queued data (the connection is over).
    void clear();

private:
    void control(std::string& out, ws::Opcode op, std::string_view payload);

    std::deque<Fragment> frames_;
    std::size_t front_done_ = 0;  ///< payload bytes of frames_.front() already taken
    ws::MaskKey front_key_{};
    std::size_t data_bytes_ = 0;
    bool ping_ = false;
    std::optional<std::string> pong_;
    std::optional<std::string> close_;
    bool close_taken_ = false;
    ws::MaskKeys keys_;
};

}  // namespace hyco
