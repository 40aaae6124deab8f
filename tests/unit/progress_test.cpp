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
