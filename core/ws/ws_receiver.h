// The receiving rules of every hyco WebSocket endpoint, client (WsClient) or
// relay (hyco-relay's WsEndpoint), written once: frames decoded with the
// role's limits, a Ping answered with its payload, an unsolicited Pong
// accepted (the keep-alive of Microsoft's .NET and node listeners), the
// peer's Close parsed once and nothing read after it, and every violation,
// a malformed Close included, reported with the code to fail the connection
// with (RFC 6455 §7.1.7). What an endpoint then sends is its own business.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ws/ws_frame.h"

namespace hyco::ws {

class Receiver final : private FrameSink {
public:
    class Events {
    public:
        virtual ~Events() = default;
        /// A Ping arrived: answer with Pong(payload).
        virtual void ws_ping(std::string_view payload) = 0;
        /// The peer's Close (code 1005 when it carried none): it sends no
        /// more, and nothing after it is read.
        virtual void ws_close(std::uint16_t code, const std::string& reason) = 0;
        /// The peer broke the protocol: fail the connection with Close(code)
        /// and `why`. Nothing more is read.
        virtual void ws_violation(std::uint16_t code, const std::string& why) = 0;
    };

    /// Data frames go to `data`, the rest to `events`.
    Receiver(DecodeLimits limits, DataSink& data, Events& events)
        : decoder_(limits), data_(data), events_(events) {}

    /// Decodes received bytes. False once reading is over: the peer's Close
    /// came or it broke the protocol. A sink may stop() to pause: feed then
    /// returns early, consumed() says how much was used, and resume()
    /// lets the next feed continue with the rest.
    bool feed(std::string_view bytes);
    void stop() { decoder_.stop(); }
    void resume() { decoder_.resume(); }
    bool stopped() const { return decoder_.stopped(); }
    std::size_t consumed() const { return decoder_.consumed(); }
    /// The peer's Close arrived.
    bool close_received() const { return close_received_; }
    /// Reading is over (Close or violation).
    bool over() const { return close_received_ || violated_; }

private:
    void frame_begin(const FrameHeader& h) override { data_.frame_begin(h); }
    void frame_data(std::string_view payload) override { data_.frame_data(payload); }
    void frame_end() override { data_.frame_end(); }
    void control_frame(Opcode op, std::string_view payload) override;
    void violation(std::uint16_t code, const std::string& why);

    FrameDecoder decoder_;
    DataSink& data_;
    Events& events_;
    bool close_received_ = false;
    bool violated_ = false;
};

}  // namespace hyco::ws
