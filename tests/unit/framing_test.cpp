// Unit tests for message framing: lines, NUL separators, binary chunks, and
// the bounded handling of lines longer than a fragment.
#include <doctest/doctest.h>

#include "core/stream/framing.h"

using namespace hyco;

namespace {

std::vector<Fragment> feed_all(MessageSplitter& s, std::initializer_list<std::string_view> chunks, bool finish) {
    std::vector<Fragment> out;
    for (auto c : chunks) s.feed(c, out);
    if (finish) s.finish(out);
    return out;
}

}  // namespace

TEST_CASE("text mode: one message per line, separator dropped") {
    MessageSplitter s(Framing::text);
    auto out = feed_all(s, {"hello\nwor", "ld\n\nlast"}, true);
    REQUIRE(out.size() == 4);
    CHECK(out[0].data == "hello");
    CHECK(out[1].data == "world");
    CHECK(out[2].data == "");
    CHECK(out[3].data == "last");  // unterminated last line still goes out
    for (auto& f : out) {
        CHECK(f.first);
        CHECK(f.final);
        CHECK_FALSE(f.binary);
    }
}

TEST_CASE("text mode: nothing pending at EOF sends nothing") {
    MessageSplitter s(Framing::text);
    auto out = feed_all(s, {"a\n"}, true);
    CHECK(out.size() == 1);
}

TEST_CASE("nul mode splits on NUL bytes") {
    MessageSplitter s(Framing::nul);
    std::string in("a\nb\0c\0", 6);
    std::vector<Fragment> out;
    s.feed(in, out);
    REQUIRE(out.size() == 2);
    CHECK(out[0].data == "a\nb");
    CHECK(out[1].data == "c");
}

TEST_CASE("binary mode: each chunk is a message, cut to the fragment size") {
    MessageSplitter s(Framing::binary, 4);
    auto out = feed_all(s, {"0123456789"}, true);
    REQUIRE(out.size() == 3);
    CHECK(out[0].data == "0123");
    CHECK(out[2].data == "89");
    CHECK(out[0].binary);
    CHECK(out[2].final);
}

TEST_CASE("a line longer than a fragment leaves as a fragmented message") {
    MessageSplitter s(Framing::text, 4);
    auto out = feed_all(s, {"abcdefghij\nxy\n"}, true);
    REQUIRE(out.size() == 4);
    CHECK(out[0].data == "abcd");
    CHECK(out[0].first);
    CHECK_FALSE(out[0].final);
    CHECK(out[1].data == "efgh");
    CHECK_FALSE(out[1].first);
    CHECK_FALSE(out[1].final);
    CHECK(out[2].data == "ij");
    CHECK_FALSE(out[2].first);
    CHECK(out[2].final);
    CHECK(out[3].data == "xy");
    CHECK(out[3].first);
    CHECK(s.pending() == 0);
}

TEST_CASE("pending bytes stay below the fragment size") {
    MessageSplitter s(Framing::text, 8);
    std::vector<Fragment> out;
    for (int i = 0; i < 100; ++i) {
        s.feed("xyz", out);
        CHECK(s.pending() < 8);
    }
    s.finish(out);
    std::string all;
    for (auto& f : out) all += f.data;
    CHECK(all.size() == 300);
    CHECK(out.back().final);
}

TEST_CASE("a received message ends in the stream with its framing's separator") {
    CHECK(message_separator(Framing::text) == "\n");
    CHECK(message_separator(Framing::nul) == std::string_view("\0", 1));
    CHECK(message_separator(Framing::binary).empty());
}

TEST_CASE("framing names round-trip") {
    for (auto f : {Framing::text, Framing::binary, Framing::nul}) CHECK(parse_framing(framing_name(f)) == f);
    CHECK_FALSE(parse_framing("hex"));
}
