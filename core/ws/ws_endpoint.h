// One WebSocket endpoint's rules, client (WsClient) or server (hyco-relay's
// endpoints), written once: frames decoded with the role's limits, a Ping
// answered with a Pong carrying its payload, an unsolicited Pong accepted
// (the keep-alive of Microsoft's .NET and node listeners), the peer's Close
// parsed once and nothing read after it, and every violation, a malformed
// Close included, failed with its code (RFC 6455 §7.1.7): queued data is
// dropped and our Close with that code is all that still goes out. The
// answers go into the role's send queue (WsSendQueue); when to write them,
// and what the peer's Close means, is the owner's business.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ws/ws_frame.h"
#include "core/ws/ws_send_queue.h"

namespace hyco::ws {

class Endpoint final : private FrameSink {
public:
    class Events {
    public:
        virtual ~Events() = default;
        /// A Ping arrived and its Pong is queued: write when you can.
        virtual void ws_ping(std::string_view payload) = 0;
        /// The peer's Close (code 1005 when it carried none): it sends no
        /// more, and nothing after it is read. Ours is for the owner to send.
        virtual void ws_close(std::uint16_t code, const std::string& reason) = 0;
        /// The peer broke the protocol: our Close(code) is queued in place of
        /// any data; hang up once it is out. Nothing more is read.
        virtual void ws_violation(std::uint16_t code, const std::string& why) = 0;
    };

    /// Data frames go to `data`, the rest to `events`; answers go to `tx`,
    /// which must outlive the endpoint.
    Endpoint(DecodeLimits limits, WsSendQueue& tx, DataSink& data, Events& events)
        : decoder_(limits), tx_(tx), data_(data), events_(events) {}

    /// Decodes received bytes. False once reading is over: the peer's Close
    /// came or it broke the protocol. A sink may stop() to pause: feed then
    /// returns early, consumed() says how much was used, and resume()
    /// lets the next feed continue with the rest.
    bool feed(std::string_view bytes);
    /// The same, unmasking a client's payload where it lies in `bytes`.
    bool feed_in_place(std::string& bytes);
    void stop() { decoder_.stop(); }
    void resume() { decoder_.resume(); }
    bool stopped() const { return decoder_.stopped(); }
    std::size_t consumed() const { return decoder_.consumed(); }
    /// Fails the connection from our side (a message over our own limit):
    /// as a violation by the peer, with `code` and `why`.
    void fail(std::uint16_t code, const std::string& why) { violation(code, why); }

    /// The peer's Close arrived.
    bool close_received() const { return close_received_; }
    /// Reading is over (Close or violation).
    bool over() const { return close_received_ || violated_; }
    /// Close has gone both ways (ours at least queued): the connection can
    /// end once the queue is written.
    bool closed_both_ways() const { return over() && tx_.close_queued(); }

private:
    void frame_begin(const FrameHeader& h) override { data_.frame_begin(h); }
    void frame_data(std::string_view payload) override { data_.frame_data(payload); }
    void frame_end() override { data_.frame_end(); }
    void control_frame(Opcode op, std::string_view payload) override;
    void violation(std::uint16_t code, const std::string& why);

    FrameDecoder decoder_;
    WsSendQueue& tx_;
    DataSink& data_;
    Events& events_;
    bool close_received_ = false;
    bool violated_ = false;
};

}  // namespace hyco::ws
