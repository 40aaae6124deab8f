// Durations for --ttl and timeouts, and the formats shown to users.
#include <doctest/doctest.h>

#include "core/base/duration.h"

using namespace hyco;
using std::chrono::milliseconds;

TEST_CASE("durations with units") {
    CHECK(*parse_duration("90s") == milliseconds(90'000));
    CHECK(*parse_duration("30m") == milliseconds(1'800'000));
    CHECK(*parse_duration("1h") == milliseconds(3'600'000));
    CHECK(*parse_duration("7d") == milliseconds(604'800'000));
    CHECK(*parse_duration("1h30m") == milliseconds(5'400'000));
    CHECK(*parse_duration("250ms") == milliseconds(250));
    CHECK(*parse_duration("45") == milliseconds(45'000));
}

TEST_CASE("bad durations say why") {
    for (const char* bad : {"", "0", "0s", "-5s", "5x", "h", "1h30", "1.5h", "999999999999d", "36600d"}) {
        CAPTURE(bad);
        auto r = parse_duration(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Exit::usage);
        CHECK(r.error().what.find("invalid duration") == 0);
    }
}

TEST_CASE("formatting") {
    CHECK(format_duration(std::chrono::seconds(45)) == "45s");
    CHECK(format_duration(std::chrono::seconds(3723)) == "1h 2m");
    CHECK(format_duration(std::chrono::seconds(90000)) == "1d 1h");
    CHECK(format_duration(std::chrono::seconds(3600)) == "1h");
    CHECK(format_utc(1700000000) == "2023-11-14T22:13:20Z");
}
