// Unit tests for the progress line.
#include <doctest/doctest.h>

#include "core/stream/progress.h"

using namespace hyco;
using std::chrono::milliseconds;

TEST_CASE("byte counts are shown in binary units") {
    CHECK(format_bytes(512) == "512 B");
    CHECK(format_bytes(1536) == "1.5 KiB");
    CHECK(format_bytes(3ull << 30) == "3.0 GiB");
}

TEST_CASE("clock format") {
    CHECK(format_clock(std::chrono::seconds(7)) == "0:07");
    CHECK(format_clock(std::chrono::seconds(3723)) == "1:02:03");
}

TEST_CASE("without a total: bytes, rate, elapsed") {
    CHECK(progress_line(10 << 20, milliseconds(2000), std::nullopt) == "10.0 MiB  5.0 MiB/s  0:02");
}

TEST_CASE("with a total: percentage and ETA") {
    CHECK(progress_line(25 << 20, milliseconds(5000), 100u << 20) ==
          "25.0 MiB / 100.0 MiB (25%)  5.0 MiB/s  0:05  ETA 0:15");
}

TEST_CASE("the rate covers the last seconds, so a stall shows at once") {
    RateWindow w(milliseconds(5000));
    CHECK(w.rate() == 0);
    // 10 MiB/s for 10 s.
    for (std::uint64_t s = 0; s <= 10; ++s) w.sample(milliseconds(s * 1000), s * (10u << 20));
    CHECK(w.rate() == 10u << 20);
    // Then nothing moves: the window falls to 0 within its span, while the
    // average since the start would still show about 6 MiB/s.
    for (std::uint64_t s = 11; s <= 13; ++s) w.sample(milliseconds(s * 1000), 100u << 20);
    CHECK(w.rate() == 4u << 20);
    for (std::uint64_t s = 14; s <= 16; ++s) w.sample(milliseconds(s * 1000), 100u << 20);
    CHECK(w.rate() == 0);
}
