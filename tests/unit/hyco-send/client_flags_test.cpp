// Unit tests for the shared client options: -H parsing and option checks.
#include <doctest/doctest.h>

#include "tools/common/client_flags.h"

using namespace hyco;

TEST_CASE("-H takes 'Name: value'") {
    auto h = cli::parse_header("X-Team:  blue ");
    REQUIRE(h);
    CHECK(h->first == "X-Team");
    CHECK(h->second == "blue");
    CHECK(cli::parse_header("X-Empty:")->second.empty());
}

TEST_CASE("-H refuses malformed headers and the token header") {
    CHECK(cli::parse_header("no colon").error().code == Exit::usage);
    CHECK_FALSE(cli::parse_header(": value"));
    CHECK_FALSE(cli::parse_header("Bad Name: v"));
    CHECK_FALSE(cli::parse_header("X: a\r\nInjected: b"));
    CHECK_FALSE(cli::parse_header("ServiceBusAuthorization: x"));
}

TEST_CASE("client options resolve durations and reject bad subprotocols") {
    cli::ClientFlags f;
    f.connect_timeout = "5s";
    f.ping_interval = "2s";
    auto o = f.resolve();
    REQUIRE(o);
    CHECK(o->timeouts.connect.count() == 5000);
    CHECK(o->timeouts.ping_interval.count() == 2000);
    f.subprotocols = {"a b"};
    CHECK(f.resolve().error().code == Exit::usage);
    f.subprotocols = {};
    f.connect_timeout = "soon";
    CHECK(f.resolve().error().what == "--connect-timeout");
}
