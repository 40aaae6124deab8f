// The endpoint rules shared by WsClient and hyco-relay's endpoints: what a
// Ping, a Pong, a Close (well-formed or not) and a frame of the wrong role
// become, what each puts in the send queue, and that nothing is read after
// the peer's Close.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/ws/ws_endpoint.h"

using namespace hyco;

namespace {

struct Log final : ws::DataSink, ws::Endpoint::Events {
    std::vector<std::string> events;
    std::string data;
    void frame_begin(const ws::FrameHeader& h) override {
        events.push_back(h.opcode == ws::Opcode::text ? "text" : "binary-or-continuation");
    }
    void frame_data(std::string_view payload) override { data.append(payload); }
    void frame_end() override { events.push_back("end"); }
    void ws_ping(std::string_view payload) override { events.push_back("ping:" + std::string(payload)); }
    void ws_close(std::uint16_t code, const std::string& reason) override {
        events.push_back("close:" + std::to_string(code) + ":" + reason);
    }
    void ws_violation(std::uint16_t code, const std::string& reason) override {
        events.push_back("violation:" + std::to_string(code));
        why = reason;
    }
    std::string why;
};

const ws::MaskKey kMask{1, 2, 3, 4};

ws::DecodeLimits client_role() { return ws::DecodeLimits{1 << 20, ws::Role::client}; }
ws::DecodeLimits server_role() { return ws::DecodeLimits{1 << 20, ws::Role::server}; }

// What an endpoint of `role` has queued, decoded as its peer would.
struct Sent final : ws::FrameSink {
    std::vector<std::string> frames;
    void frame_begin(const ws::FrameHeader&) override { frames.push_back("data:"); }
    void frame_data(std::string_view p) override { frames.back() += p; }
    void frame_end() override {}
    void control_frame(ws::Opcode op, std::string_view p) override {
        frames.push_back((op == ws::Opcode::pong ? "pong:" : op == ws::Opcode::close ? "close:" : "ping:") +
                         std::string(p));
    }
};

std::vector<std::string> sent(WsSendQueue& tx, ws::Role role) {
    std::string wire;
    tx.fill(wire, 1 << 20);
    Sent s;
    ws::FrameDecoder d(ws::DecodeLimits{1 << 20, role == ws::Role::client ? ws::Role::server : ws::Role::client});
    REQUIRE(d.feed(wire, s));
    return s.frames;
}

}  // namespace

TEST_CASE("a Ping is handed up to be answered; an unsolicited Pong is accepted silently") {
    Log log;
    WsSendQueue rx_tx(ws::Role::client);
    ws::Endpoint rx(client_role(), rx_tx, log, log);
    CHECK(rx.feed(ws::frame(ws::Opcode::ping, true, "are you there")));
    CHECK(rx.feed(ws::frame(ws::Opcode::pong, true, "keep-alive")));
    CHECK(rx.feed(ws::frame(ws::Opcode::text, true, "hello")));
    CHECK(log.events == std::vector<std::string>{"ping:are you there", "text", "end"});
    CHECK(log.data == "hello");
    CHECK(sent(rx_tx, ws::Role::client) == std::vector<std::string>{"pong:are you there"});  // the Pong only
}

TEST_CASE("the peer's Close is parsed once and nothing after it is read") {
    Log log;
    WsSendQueue rx_tx(ws::Role::server);
    ws::Endpoint rx(server_role(), rx_tx, log, log);
    std::string wire = ws::client_frame(ws::Opcode::binary, true, "last", kMask) +
                       ws::client_frame(ws::Opcode::close, true, ws::close_payload(1000, "bye"), kMask) +
                       ws::client_frame(ws::Opcode::binary, true, "after the Close", kMask);
    CHECK_FALSE(rx.feed(wire));
    CHECK(rx.close_received());
    CHECK_FALSE(rx.feed(ws::client_frame(ws::Opcode::ping, true, "", kMask)));
    CHECK(log.data == "last");
    CHECK(log.events == std::vector<std::string>{"binary-or-continuation", "end", "close:1000:bye"});
    CHECK_FALSE(rx.closed_both_ways());  // our Close is the owner's to send
    rx_tx.close(1000, "");
    CHECK(rx.closed_both_ways());
}

TEST_CASE("a Close without a code reads as 1005") {
    Log log;
    WsSendQueue rx_tx(ws::Role::client);
    ws::Endpoint rx(client_role(), rx_tx, log, log);
    CHECK_FALSE(rx.feed(ws::frame(ws::Opcode::close, true, "")));
    CHECK(log.events == std::vector<std::string>{"close:1005:"});
}

TEST_CASE("a malformed Close is a violation (1002), not a Close") {
    Log log;
    WsSendQueue rx_tx(ws::Role::client);
    ws::Endpoint rx(client_role(), rx_tx, log, log);
    CHECK_FALSE(rx.feed(ws::frame(ws::Opcode::close, true, "x")));  // one byte: no room for a code
    CHECK_FALSE(rx.close_received());
    CHECK(rx.over());
    CHECK(log.events == std::vector<std::string>{"violation:1002"});
    CHECK(log.why == "malformed Close frame");
    CHECK(sent(rx_tx, ws::Role::client) == std::vector<std::string>{"close:" + ws::close_payload(1002, "malformed Close frame")});
}

TEST_CASE("each role refuses the other role's frames with 1002, once") {
    Log client_log, server_log;
    WsSendQueue client_tx(ws::Role::client);
    ws::Endpoint client(client_role(), client_tx, client_log, client_log);
    WsSendQueue server_tx(ws::Role::server);
    ws::Endpoint server(server_role(), server_tx, server_log, server_log);
    CHECK_FALSE(client.feed(ws::client_frame(ws::Opcode::text, true, "masked", kMask)));
    CHECK_FALSE(server.feed(ws::frame(ws::Opcode::text, true, "unmasked")));
    CHECK_FALSE(server.feed(ws::frame(ws::Opcode::text, true, "again")));
    CHECK(client_log.events == std::vector<std::string>{"violation:1002"});
    CHECK(server_log.events == std::vector<std::string>{"violation:1002"});
}

TEST_CASE("a data frame over the role's limit is refused with 1009") {
    Log log;
    WsSendQueue tx(ws::Role::client);
    ws::Endpoint rx(ws::DecodeLimits{16, ws::Role::client}, tx, log, log);
    CHECK_FALSE(rx.feed(ws::frame(ws::Opcode::binary, true, std::string(17, 'x'))));
    CHECK(log.events == std::vector<std::string>{"violation:1009"});
    CHECK(rx.closed_both_ways());
}

TEST_CASE("a violation drops queued data: the Close with its code is all that goes out") {
    Log log;
    WsSendQueue tx(ws::Role::server);
    ws::Endpoint ep(server_role(), tx, log, log);
    tx.push(ws::Opcode::binary, true, "never sent");
    CHECK(ep.feed(ws::client_frame(ws::Opcode::ping, true, "p", kMask)));
    CHECK_FALSE(ep.feed(ws::frame(ws::Opcode::binary, true, "unmasked from a client")));
    CHECK(tx.data_bytes() == 0);
    CHECK(sent(tx, ws::Role::server) ==
          std::vector<std::string>{"pong:p", "close:" + ws::close_payload(1002, log.why)});
    CHECK(tx.close_sent());
}

TEST_CASE("the owner can fail the connection by its own limit, once") {
    Log log;
    WsSendQueue tx(ws::Role::server);
    ws::Endpoint ep(server_role(), tx, log, log);
    ep.fail(1009, "text message larger than 64 KiB");
    ep.fail(1002, "second");
    CHECK(ep.over());
    CHECK_FALSE(ep.feed(ws::client_frame(ws::Opcode::ping, true, "", kMask)));
    CHECK(log.events == std::vector<std::string>{"violation:1009"});
    CHECK(sent(tx, ws::Role::server) ==
          std::vector<std::string>{"close:" + ws::close_payload(1009, "text message larger than 64 KiB")});
}
