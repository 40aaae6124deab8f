// Tests of the WebSocket frame codec in both roles: every split point,
// masking rules, fragmentation rules, control frames, 16/64-bit lengths,
// limits, and client-encoded frames decoding back.
#include <doctest/doctest.h>

#include <vector>

#include "core/ws/ws_frame.h"

using namespace hyco::ws;

namespace {

struct Event {
    std::string kind;
    Opcode op = Opcode::continuation;
    bool fin = false;
    std::uint64_t length = 0;
    std::string data;
};

struct Recorder : FrameSink {
    std::vector<Event> events;
    void frame_begin(const FrameHeader& h) override { events.push_back({"begin", h.opcode, h.fin, h.length, ""}); }
    void frame_data(std::string_view p) override {
        if (!events.empty() && events.back().kind == "data") events.back().data += p;
        else events.push_back({"data", Opcode::continuation, false, 0, std::string(p)});
    }
    void frame_end() override { events.push_back({"end", Opcode::continuation, false, 0, ""}); }
    void control_frame(Opcode op, std::string_view p) override {
        events.push_back({"control", op, true, p.size(), std::string(p)});
    }
};

constexpr std::array<std::uint8_t, 4> kMask{0x12, 0x34, 0x56, 0x78};

}  // namespace

TEST_CASE("a fragmented message with an interleaved ping decodes at every split point") {
    std::string wire = client_frame(Opcode::text, false, "Hel", kMask) + client_frame(Opcode::ping, true, "p", kMask) +
                       client_frame(Opcode::continuation, true, "lo", kMask) +
                       client_frame(Opcode::binary, true, "", kMask);
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        FrameDecoder d;
        Recorder r;
        REQUIRE(d.feed(std::string_view(wire).substr(0, cut), r));
        REQUIRE(d.feed(std::string_view(wire).substr(cut), r));
        REQUIRE(r.events.size() == 9);
        CHECK(r.events[0].kind == "begin");
        CHECK(r.events[0].op == Opcode::text);
        CHECK(!r.events[0].fin);
        CHECK(r.events[1].data == "Hel");
        CHECK(r.events[3].kind == "control");
        CHECK(r.events[3].op == Opcode::ping);
        CHECK(r.events[3].data == "p");
        CHECK(r.events[4].op == Opcode::continuation);
        CHECK(r.events[4].fin);
        CHECK(r.events[5].data == "lo");
        CHECK(r.events[7].op == Opcode::binary);
        CHECK(r.events[7].length == 0);
        CHECK(r.events[8].kind == "end");
    }
}

TEST_CASE("byte-at-a-time decoding of 16- and 64-bit lengths") {
    for (std::size_t size : {125u, 126u, 65535u, 65536u, 70000u}) {
        std::string payload(size, '\0');
        for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>(i * 7);
        std::string wire = client_frame(Opcode::binary, true, payload, kMask);
        FrameDecoder d;
        Recorder r;
        for (char c : wire) REQUIRE(d.feed(std::string_view(&c, 1), r));
        REQUIRE(r.events.size() == 3);
        CHECK(r.events[0].length == size);
        CHECK(r.events[1].data == payload);
    }
}

TEST_CASE("protocol violations fail with 1002 or 1009") {
    struct Case {
        std::string wire;
        std::uint16_t code;
    };
    std::string unmasked = frame(Opcode::text, true, "x");
    std::string rsv = client_frame(Opcode::text, true, "x", kMask);
    rsv[0] = static_cast<char>(rsv[0] | 0x40);
    std::string badop = client_frame(Opcode::text, true, "x", kMask);
    badop[0] = static_cast<char>(0x83);
    std::string bigctl = client_frame(Opcode::ping, true, std::string(126, 'x'), kMask);
    std::string fragctl = client_frame(Opcode::ping, false, "x", kMask);
    std::string cont = client_frame(Opcode::continuation, true, "x", kMask);
    std::string nested = client_frame(Opcode::text, false, "x", kMask) + client_frame(Opcode::binary, true, "y", kMask);
    std::string huge = std::string("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10) + "abcd";
    std::string toobig = std::string("\x82\xff\x00\x00\x00\x01\x00\x00\x00\x01", 10) + "abcd";
    Case cases[] = {{unmasked, 1002}, {rsv, 1002},  {badop, 1002},  {bigctl, 1002}, {fragctl, 1002},
                    {cont, 1002},     {nested, 1002}, {huge, 1002}, {toobig, 1009}};
    for (const auto& c : cases) {
        FrameDecoder d;
        Recorder r;
        CHECK(!d.feed(c.wire, r));
        CHECK(d.error_code() == c.code);
        CHECK(!d.error().empty());
        CHECK(!d.feed("more", r));  // stays failed
    }
}

TEST_CASE("a configurable frame limit") {
    FrameDecoder d(DecodeLimits{10, Role::server});
    Recorder r;
    CHECK(d.feed(client_frame(Opcode::binary, true, std::string(10, 'a'), kMask), r));
    CHECK(!d.feed(client_frame(Opcode::binary, true, std::string(11, 'a'), kMask), r));
    CHECK(d.error_code() == 1009);
}

TEST_CASE("stop() ends decoding after the current frame") {
    struct Stopper : Recorder {
        FrameDecoder* d = nullptr;
        void control_frame(Opcode op, std::string_view p) override {
            Recorder::control_frame(op, p);
            d->stop();
        }
    } s;
    FrameDecoder d;
    s.d = &d;
    CHECK(d.feed(client_frame(Opcode::close, true, "", kMask) + client_frame(Opcode::text, true, "x", kMask), s));
    CHECK(s.events.size() == 1);
}

TEST_CASE("server frame headers use minimal lengths") {
    CHECK(frame_header(Opcode::text, true, 5) == std::string("\x81\x05"));
    CHECK(frame_header(Opcode::binary, false, 126) == std::string("\x02\x7e\x00\x7e", 4));
    CHECK(frame_header(Opcode::binary, true, 65536) == std::string("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
    FrameDecoder d(DecodeLimits{1u << 20, Role::client});
    Recorder r;
    CHECK(d.feed(frame(Opcode::pong, true, "abc"), r));
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].data == "abc");
}

TEST_CASE("close payloads") {
    std::uint16_t code = 0;
    std::string reason;
    CHECK(parse_close_payload(close_payload(1008, "token expired"), code, reason));
    CHECK(code == 1008);
    CHECK(reason == "token expired");
    CHECK(parse_close_payload("", code, reason));
    CHECK(code == 1005);
    CHECK(!parse_close_payload("x", code, reason));
    CHECK(!parse_close_payload(std::string("\x03\xed", 2), code, reason));  // 1005 may not be sent
    std::string long_reason(200, 'a');
    long_reason.replace(122, 2, "\xc3\xa9");  // a 2-byte character across the cut
    std::string p = close_payload(1000, long_reason);
    CHECK(p.size() == 2 + 122);
}

TEST_CASE("Sec-WebSocket-Accept matches RFC 6455's example") {
    CHECK(accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("client role: unmasked frames decode at every split point, masked ones are refused") {
    std::string wire = frame(Opcode::binary, false, "abc") + frame(Opcode::ping, true, "p") +
                       frame(Opcode::continuation, true, std::string(300, 'z')) + frame(Opcode::close, true, "");
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        FrameDecoder d(DecodeLimits{1u << 20, Role::client});
        Recorder r;
        REQUIRE(d.feed(wire.substr(0, cut), r));
        REQUIRE(d.feed(wire.substr(cut), r));
        REQUIRE(r.events.size() == 8);
        CHECK(r.events[1].data == "abc");
        CHECK(r.events[3].op == Opcode::ping);
        CHECK(r.events[5].data == std::string(300, 'z'));
        CHECK(r.events[7].op == Opcode::close);
    }
    FrameDecoder d(DecodeLimits{1u << 20, Role::client});
    Recorder r;
    CHECK(!d.feed(client_frame(Opcode::text, true, "x", kMask), r));
    CHECK(d.error_code() == 1002);
    CHECK(r.events.empty());
}

TEST_CASE("server role refuses unmasked frames") {
    FrameDecoder d;
    Recorder r;
    CHECK(!d.feed(frame(Opcode::text, true, "x"), r));
    CHECK(d.error_code() == 1002);
}

TEST_CASE("client-encoded frames decode back at every split point") {
    MaskKeys keys;
    std::string big(70000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
    MaskKey k1 = keys.next(), k2 = keys.next();
    CHECK(k1 != k2);  // a fresh key per frame
    // A frame masked in uneven pieces equals one masked in one go.
    std::string header = masked_frame_header(Opcode::binary, true, big.size(), k2);
    std::string body(big.size(), '\0');
    mask_copy(body.data(), big.data(), 13, k2, 0);
    mask_copy(body.data() + 13, big.data() + 13, big.size() - 13, k2, 13);
    CHECK(header + body == client_frame(Opcode::binary, true, big, k2));
    std::string wire = client_frame(Opcode::text, true, "hello", k1) + header + body +
                       client_frame(Opcode::close, true, close_payload(1000, "bye"), keys.next());
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        // Every cut through the headers and the small frames; a sample of
        // the 64 KiB payload, where one cut is like another.
        if (cut > 40 && wire.size() - cut > 40 && cut % 997) continue;
        FrameDecoder d;  // server role: masked input
        Recorder r;
        REQUIRE(d.feed(wire.substr(0, cut), r));
        REQUIRE(d.feed(wire.substr(cut), r));
        REQUIRE(r.events.size() == 7);
        CHECK(r.events[1].data == "hello");
        CHECK(r.events[4].data == big);
        CHECK(r.events[6].data == close_payload(1000, "bye"));
    }
}

TEST_CASE("stop() reports how much was consumed and resume() continues") {
    struct Pauser : Recorder {
        FrameDecoder* d = nullptr;
        void frame_end() override {
            Recorder::frame_end();
            d->stop();
        }
    } s;
    FrameDecoder d(DecodeLimits{1u << 20, Role::client});
    s.d = &d;
    std::string one = frame(Opcode::text, true, "a");
    std::string wire = one + frame(Opcode::text, true, "b");
    CHECK(d.feed(wire, s));
    CHECK(d.consumed() == one.size());
    d.resume();
    CHECK(d.feed(std::string_view(wire).substr(d.consumed()), s));
    REQUIRE(s.events.size() == 6);
    CHECK(s.events[4].data == "b");
}
