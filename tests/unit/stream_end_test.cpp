// End records, subprotocol choice and the close policy (core/stream/stream_end.h),
// and the text-mode input check (core/stream/framing.h).
#include <doctest/doctest.h>

#include "core/stream/framing.h"
#include "core/stream/stream_end.h"

using namespace hyco;

TEST_CASE("a hyco sender's offer and a listener's choice") {
    CHECK(eos::offer({}) == std::vector<std::string>{"hyco.plain", "hyco.end.v1"});
    CHECK(eos::offer({"app"}) == std::vector<std::string>{"app"});  // the user's own: no records
    CHECK(eos::choose(eos::offer({}), {}) == "hyco.end.v1");
    CHECK(eos::choose(eos::offer({}), {"app"}) == "hyco.end.v1");  // no application subprotocol offered
    CHECK(eos::choose({"hyco.plain"}, {}) == "");
    CHECK(eos::choose({"app", "hyco.end.v1"}, {}) == "app");
    CHECK(eos::choose({"x"}, {"app"}) == std::nullopt);
    CHECK(eos::choose({}, {}) == "");
}

TEST_CASE("end records round-trip and refuse malformed input") {
    eos::Record r{eos::Record::Kind::end, 42, eos::RemoteExit{3, 0}};
    auto back = eos::decode(eos::encode(r));
    REQUIRE(back);
    CHECK(back->kind == eos::Record::Kind::end);
    CHECK(back->bytes == 42);
    REQUIRE(back->exit);
    CHECK(back->exit->exit_status() == 3);
    auto sig = eos::decode(R"({"hyco":"end","bytes":0,"signal":9})");
    REQUIRE(sig);
    CHECK(sig->exit->exit_status() == 137);
    CHECK(eos::decode(R"({"hyco":"ack","bytes":7})")->kind == eos::Record::Kind::ack);
    for (const char* bad : {"", "[]", "nope", R"({"bytes":1})", R"({"hyco":"fin","bytes":1})", R"({"hyco":"end"})",
                            R"({"hyco":"end","bytes":-1})", R"({"hyco":"end","bytes":"1"})",
                            R"({"hyco":"ack","bytes":1,"exit":0})", R"({"hyco":"end","bytes":1,"exit":256})",
                            R"({"hyco":"end","bytes":1,"signal":0})", R"({"hyco":"end","bytes":1,"exit":0,"signal":9})"}) {
        CAPTURE(bad);
        CHECK_FALSE(eos::decode(bad));
    }
    CHECK_FALSE(eos::decode(std::string(eos::kMaxRecord + 1, ' ')));
}

TEST_CASE("the close policy") {
    for (int code : {1000, 1001, 1005}) CHECK(eos::is_normal_close(code));
    for (int code : {1002, 1007, 1008, 1009, 1011, 4000, eos::kInterruptedCode}) CHECK_FALSE(eos::is_normal_close(code));
}

TEST_CASE("text mode accepts text only, wherever reads split it") {
    std::string ok = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\n";
    for (std::size_t cut = 0; cut <= ok.size(); ++cut) {
        TextCheck c(Framing::text);
        CHECK_FALSE(c.feed(ok.substr(0, cut)));
        CHECK_FALSE(c.feed(ok.substr(cut)));
        CHECK_FALSE(c.finish());
    }
    auto reason = [](std::string_view in, Framing f = Framing::text) {
        TextCheck c(f);
        auto r = c.feed(in);
        return r ? *r : c.finish().value_or("");
    };
    CHECK(reason("ab\xff") == "invalid UTF-8 at byte 2");
    CHECK(reason("\xc0\xaf") == "invalid UTF-8 at byte 1");          // overlong
    CHECK(reason("\xed\xa0\x80") == "invalid UTF-8 at byte 2");      // surrogate
    CHECK(reason("\xf4\x90\x80\x80") == "invalid UTF-8 at byte 3");  // past U+10FFFF
    CHECK(reason(std::string("a\0b", 3)) == "a NUL byte at byte 1");
    CHECK(reason(std::string("a\0b", 3), Framing::nul) == "");       // the separator in NUL mode
    CHECK(reason("abc\xe2\x9c") == "invalid UTF-8 at byte 5 (a character cut off at the end)");
    CHECK(reason("\xff", Framing::binary) == "");
}
