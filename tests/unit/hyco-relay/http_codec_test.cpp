// Tests of the relay's HTTP request-head parser, including every split point
// of the input and malformed and oversized requests.
#include <doctest/doctest.h>

#include "tools/hyco-relay/http_request.h"

using namespace hyco::relay;
using State = HeadResult::State;

namespace {

const std::string kUpgrade =
    "GET /$hc/hyco?sb-hc-action=connect&x=1 HTTP/1.1\r\n"
    "Host: 127.0.0.1:9000\r\n"
    "Connection: keep-alive, Upgrade\r\n"
    "Upgrade: websocket\r\n"
    "X-Multi: a\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "x-multi:  b \r\n"
    "\r\n";

}  // namespace

TEST_CASE("a complete head parses at every split point") {
    for (std::size_t cut = 0; cut < kUpgrade.size(); ++cut)
        CHECK(parse_request_head(std::string_view(kUpgrade).substr(0, cut)).state == State::incomplete);
    auto r = parse_request_head(kUpgrade + "extra");
    REQUIRE(r.state == State::complete);
    CHECK(r.request.head_size == kUpgrade.size());
    CHECK(r.request.method == "GET");
    CHECK(r.request.path() == "/$hc/hyco");
    CHECK(r.request.query() == "sb-hc-action=connect&x=1");
    CHECK(r.request.has_token("connection", "upgrade"));
    CHECK(*r.request.header("HOST") == "127.0.0.1:9000");
    CHECK(*r.request.joined("X-Multi") == "a, b");
    CHECK(r.request.headers.size() == 6);
}

TEST_CASE("bare LF line endings and leading empty lines are accepted") {
    auto r = parse_request_head("\r\nGET / HTTP/1.0\nA: b\n\n");
    REQUIRE(r.state == State::complete);
    CHECK(r.request.minor_version == 0);
}

TEST_CASE("malformed heads are refused with a status and reason") {
    struct Case {
        const char* text;
        int status;
    } cases[] = {
        {"GET /a HTTP/2.0\r\n\r\n", 505},
        {"GET /a FTP/1.1\r\n\r\n", 400},
        {"GET  /a HTTP/1.1\r\n\r\n", 400},
        {"GET a HTTP/1.1\r\n\r\n", 400},
        {"G(T /a HTTP/1.1\r\n\r\n", 400},
        {"GET /a HTTP/1.1\r\nNo colon\r\n\r\n", 400},
        {"GET /a HTTP/1.1\r\nName : v\r\n\r\n", 400},
        {"GET /a HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
        {"GET /a HTTP/1.1\r\nA: b\x01\r\n\r\n", 400},
        {"GET /a\x7f HTTP/1.1\r\n\r\n", 400},
        // HTTP/1.0 has no transfer codings (RFC 9112 §6.1): faulty framing.
        {"POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {"POST /a HTTP/1.0\r\nContent-Length: 3\r\ntransfer-encoding: identity\r\n\r\n", 400},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto r = parse_request_head(c.text);
        CHECK(r.state == State::error);
        CHECK(r.refusal.status == c.status);
        CHECK(!r.refusal.reason.empty());
    }
}

TEST_CASE("oversized heads are refused with 431 before they complete") {
    std::string big = "GET / HTTP/1.1\r\nX: " + std::string(40000, 'a');
    auto r = parse_request_head(big);
    CHECK(r.state == State::error);
    CHECK(r.refusal.status == 431);
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 200; ++i) many += "H" + std::to_string(i) + ": v\r\n";
    CHECK(parse_request_head(many + "\r\n").refusal.status == 431);
    CHECK(parse_request_head(std::string(40000, 'G')).refusal.status == 431);
}

TEST_CASE("query parameters keep raw values and decode on request") {
    auto q = parse_query("sb-hc-token=Shared%20x%2By&flag&&a+b=c+d&sb-hc-foo");
    REQUIRE(q.size() == 5);
    CHECK(q[0].name == "sb-hc-token");
    CHECK(*query_value(q, "sb-hc-token") == "Shared x+y");
    CHECK(!q[1].has_value);
    CHECK(q[2].raw.empty());
    CHECK(q[3].name == "a b");
    CHECK(*query_value(q, "a b") == "c d");
    CHECK(!query_value(q, "missing"));
}
