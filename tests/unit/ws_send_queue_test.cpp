// Tests of client frame batching: whatever the batch size, the bytes decode
// back (server role) to the same frames, control frames never land inside a
// data frame, and the Close comes last.
#include <doctest/doctest.h>

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

}  // namespace

TEST_CASE("batches of any size decode to the queued frames, controls between frames") {
    for (std::size_t budget : {1u, 7u, 100u, 2999u, 5000u, 1u << 20}) {
        CAPTURE(budget);
        WsSendQueue q;
        q.push(Fragment{"hello", false, true, true});
        q.push(Fragment{std::string(3000, 'b'), true, true, false});
        q.push(Fragment{"end", true, false, true});
        q.close(1000, "bye");
        CHECK(q.data_bytes() == 3008);
        q.push(Fragment{"ignored after close", false, true, true});
        CHECK(q.data_bytes() == 3008);
        ws::FrameDecoder d;
        Frames f;
        std::size_t taken = 0;
        int rounds = 0;
        bool injected = false;
        while (q.pending()) {
            std::string out;
            taken += q.fill(out, budget);
            if (rounds == 0 && !q.close_taken()) {
                injected = true;  // lands mid-message for the small budgets
                q.ping();
                q.pong("p1");
                q.pong("p2");  // only the latest answer goes out
            }
            REQUIRE(d.feed(out, f));
            REQUIRE(++rounds < 10000);
        }
        CHECK(taken == 3008);
        CHECK(q.data_bytes() == 0);
        CHECK(q.close_taken());
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
