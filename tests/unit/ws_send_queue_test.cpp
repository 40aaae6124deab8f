// Tests of the one send queue, in both roles: whatever the batch size and
// however little the socket takes, the bytes decode (in the other role) to
// the queued frames; control frames never land inside a data frame or ahead
// of raw bytes; the Close comes last; a streamed frame holds back what
// follows it until its last byte has arrived.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "core/ws/ws_send_queue.h"

using namespace hyco;

namespace {

struct Frames : ws::FrameSink {
    std::vector<std::string> log;
    std::string cur;
    void frame_begin(const ws::FrameHeader& h) override {
        cur = std::to_string(static_cast<int>(h.opcode)) + (h.fin ? "F:" : ":");
    }
    void frame_data(std::string_view p) override { cur += p; }
    void frame_end() override { log.push_back(cur); }
    void control_frame(ws::Opcode op, std::string_view p) override {
        log.push_back("c" + std::to_string(static_cast<int>(op)) + ":" + std::string(p));
    }
};

ws::Role other(ws::Role r) { return r == ws::Role::client ? ws::Role::server : ws::Role::client; }

// What the peer of a `role` queue reads from `wire`, frame by frame.
std::vector<std::string> decoded(ws::Role role, std::string_view wire) {
    Frames f;
    ws::FrameDecoder d(ws::DecodeLimits{1 << 30, other(role)});
    REQUIRE(d.feed(wire, f));
    return f.log;
}

// Takes at most `step` bytes through gather/consumed, as a socket that
// accepts only part of what it is offered would.
std::string take(WsSendQueue& q, std::size_t step) {
    iovec v[4];
    std::size_t k = q.gather(v, step);
    std::string out;
    for (std::size_t i = 0; i < k; ++i) out.append(static_cast<const char*>(v[i].iov_base), v[i].iov_len);
    CHECK(out.size() <= step);
    q.consumed(out.size());
    return out;
}

}  // namespace

TEST_CASE("batches of any size decode to the queued frames, controls between frames") {
    for (ws::Role role : {ws::Role::client, ws::Role::server})
        for (std::size_t budget : {1u, 7u, 100u, 2999u, 5000u, 1u << 20})
            for (bool by_gather : {false, true}) {
                CAPTURE(budget);
                CAPTURE(by_gather);
                CAPTURE(static_cast<int>(role));
                WsSendQueue q(role);
                q.push(Fragment{"hello", false, true, true});
                q.push(Fragment{std::string(3000, 'b'), true, true, false});
                q.push(Fragment{"end", true, false, true});
                q.close(1000, "bye");
                CHECK(q.data_bytes() == 3008);
                q.push(Fragment{"ignored after close", false, true, true});
                CHECK(q.data_bytes() == 3008);
                ws::FrameDecoder d(ws::DecodeLimits{1 << 20, other(role)});
                Frames f;
                int rounds = 0;
                bool injected = false;
                while (q.pending()) {
                    std::string out;
                    if (by_gather) out = take(q, budget);
                    else q.fill(out, budget);
                    if (rounds == 0 && !q.close_sent()) {
                        injected = true;  // lands mid-message for the small budgets
                        q.ping();
                        q.pong("p1");
                        q.pong("p2");  // only the latest answer goes out
                    }
                    REQUIRE(d.feed(out, f));
                    REQUIRE(++rounds < 10000);
                }
                CHECK(q.data_bytes() == 0);
                CHECK(q.bytes() == 0);
                CHECK(q.close_sent());
                std::vector<std::string> data;
                std::vector<std::string> controls;
                for (const auto& e : f.log) (e[0] == 'c' ? controls : data).push_back(e);
                REQUIRE(data.size() == 3);
                CHECK(data[0] == "1F:hello");
                CHECK(data[1] == "2:" + std::string(3000, 'b'));
                CHECK(data[2] == "0F:end");
                REQUIRE(controls.size() == (injected ? 3 : 1));
                if (injected) {
                    CHECK(controls[0] == "c10:p2");
                    CHECK(controls[1] == "c9:");
                }
                CHECK(controls.back() == "c8:" + ws::close_payload(1000, "bye"));
                CHECK(f.log.back() == controls.back());
            }
}

TEST_CASE("a streamed frame holds back controls, later frames and the Close until it is complete") {
    for (ws::Role role : {ws::Role::client, ws::Role::server}) {
        CAPTURE(static_cast<int>(role));
        WsSendQueue q(role);
        q.begin(ws::Opcode::binary, true, 10);
        q.data("abcd");
        q.push(ws::Opcode::text, true, "after");
        q.close(1000, "");
        ws::FrameDecoder d(ws::DecodeLimits{1 << 20, other(role)});
        Frames f;
        std::string wire;
        q.fill(wire, 1 << 20);
        CHECK_FALSE(q.pending());  // the frame's last 6 bytes have not arrived
        CHECK(q.data_bytes() == 5);  // "after"
        REQUIRE(d.feed(wire, f));
        CHECK(f.log.empty());
        CHECK_FALSE(q.close_sent());
        q.pong("x");  // mid-frame: waits for the frame's end
        CHECK_FALSE(q.pending());
        q.data("efg");
        q.data("hijKLM");  // one byte over the declared length: dropped
        CHECK(q.data_bytes() == 11);
        wire.clear();
        q.fill(wire, 1 << 20);
        CHECK(q.close_sent());
        REQUIRE(d.feed(wire, f));
        REQUIRE(f.log.size() == 4);
        CHECK(f.log[0] == "2F:abcdefghij");
        CHECK(f.log[1] == "c10:x");
        CHECK(f.log[2] == "1F:after");
        CHECK(f.log[3] == "c8:" + ws::close_payload(1000, ""));
    }
}

TEST_CASE("raw bytes go out verbatim and in order; no control frame overtakes them") {
    WsSendQueue q(ws::Role::server);
    q.raw("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    q.pong("early");  // a Ping that came with the upgrade is answered after the 101
    q.push(ws::Opcode::binary, true, "data");
    std::string wire;
    std::string first = take(q, 5);
    CHECK(first == "HTTP/");
    q.fill(wire, 1 << 20);
    const std::string rest = "1.1 101 Switching Protocols\r\n\r\n";
    CHECK(wire.rfind(rest, 0) == 0);
    CHECK(decoded(ws::Role::server, wire.substr(rest.size())) == std::vector<std::string>{"c10:early", "2F:data"});
    CHECK(q.bytes() == 0);
}

TEST_CASE("clear keeps a frame already partly written, so that the Close after it still parses") {
    WsSendQueue q(ws::Role::client);
    q.push(Fragment{std::string(100, 'a'), true, true, true});
    q.push(Fragment{std::string(100, 'b'), true, true, true});
    std::string wire = take(q, 50);
    q.clear();
    CHECK(q.data_bytes() < 100);
    q.close(1002, "bad");
    q.fill(wire, 1 << 20);
    CHECK(q.close_sent());
    CHECK(decoded(ws::Role::client, wire) ==
          std::vector<std::string>{"2F:" + std::string(100, 'a'), "c8:" + ws::close_payload(1002, "bad")});
}

TEST_CASE("a client masks each frame with its own key; a server sends payload in clear") {
    WsSendQueue c(ws::Role::client);
    WsSendQueue s(ws::Role::server);
    c.push(ws::Opcode::binary, true, "secret");
    s.push(ws::Opcode::binary, true, "secret");
    std::string cw, sw;
    c.fill(cw, 100);
    s.fill(sw, 100);
    CHECK(sw == std::string("\x82\x06secret", 8));
    REQUIRE(cw.size() == 2 + 4 + 6);
    CHECK((static_cast<unsigned char>(cw[1]) & 0x80) != 0);
    CHECK(cw.find("secret") == std::string::npos);
}

TEST_CASE("pieces fill begun frames in order, whole frames queued between them wait their turn") {
    WsSendQueue q(ws::Role::server);
    for (int i = 0; i < 20000; ++i) q.push(ws::Opcode::text, true, "x");  // a slow reader's backlog
    q.begin(ws::Opcode::binary, true, 3);
    q.push(ws::Opcode::text, true, "between");
    q.begin(ws::Opcode::text, true, 2);
    for (char c : std::string("abcde")) q.data(std::string_view(&c, 1));
    std::string wire;
    q.fill(wire, std::size_t(1) << 30);
    std::vector<std::string> log = decoded(ws::Role::server, wire);
    REQUIRE(log.size() == 20003);
    CHECK(log[20000] == "2F:abc");
    CHECK(log[20001] == "1F:between");
    CHECK(log[20002] == "1F:de");
    CHECK(q.bytes() == 0);
}

TEST_CASE("send writes straight to a socket as far as it takes, keeps the rest, and reports a dead peer") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    WsSendQueue q(ws::Role::client);
    const std::string big(4 << 20, 'z');  // more than a socket buffer holds
    q.push(ws::Opcode::binary, true, big);
    q.close(1000, "");
    std::string wire;
    char buf[65536];
    for (int rounds = 0; !q.close_sent(); ++rounds) {
        REQUIRE(rounds < 100000);
        std::ptrdiff_t n = q.send(sv[0], 256 * 1024);
        REQUIRE(n >= 0);  // a full socket is not an error
        CHECK(static_cast<std::size_t>(n) <= 256 * 1024);
        ssize_t r;
        while ((r = ::read(sv[1], buf, sizeof buf)) > 0) wire.append(buf, static_cast<std::size_t>(r));
    }
    CHECK(q.bytes() == 0);
    CHECK(decoded(ws::Role::client, wire) == std::vector<std::string>{"2F:" + big, "c8:" + ws::close_payload(1000, "")});
    ::close(sv[1]);
    WsSendQueue after(ws::Role::client);
    after.push(ws::Opcode::binary, true, "lost");
    errno = 0;
    CHECK(after.send(sv[0], 1024) == -1);  // the peer is gone: an error, not "0 bytes for now"
    CHECK(errno == EPIPE);
    CHECK(after.data_bytes() == 4);  // nothing counted as written
    ::close(sv[0]);
}

TEST_CASE("a long streamed frame through a socket that never catches up holds what is unwritten, not the frame") {
    // The feeder stops at 512 KiB unwritten, as the relay's does; the socket
    // takes 48 KiB a turn, so the frame is never written as far as it has
    // arrived until its last piece.
    constexpr std::size_t kFrame = 8 * 1024 * 1024, kPiece = 64 * 1024, kHigh = 512 * 1024;
    for (ws::Role role : {ws::Role::client, ws::Role::server}) {
        CAPTURE(static_cast<int>(role));
        WsSendQueue q(role);
        q.begin(ws::Opcode::binary, true, kFrame);
        std::string sent, wire;
        std::size_t most = 0;
        while (sent.size() < kFrame) {
            if (q.bytes() < kHigh) {
                std::string piece(kPiece, '\0');
                for (std::size_t i = 0; i < piece.size(); ++i) piece[i] = static_cast<char>((sent.size() + i) * 131 >> 7);
                q.data(piece);
                sent += piece;
            } else {
                wire += take(q, 48 * 1024);
            }
            most = std::max(most, q.held());
        }
        while (q.pending()) wire += take(q, 48 * 1024);
        CHECK(most <= 2 * (kHigh + kPiece));  // before: the whole 8 MiB
        auto frames = decoded(role, wire);
        REQUIRE(frames.size() == 1);
        CHECK(frames[0] == "2F:" + sent);
    }
}
