// Tests of the response-head parser: every split point, limits, and the
// malformed heads that must fail rather than be guessed at.
#include <doctest/doctest.h>

#include "core/http/http_response_head.h"

using namespace hyco;

TEST_CASE("a 101 head parses at every split point and reports its size") {
    std::string head =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    std::string wire = head + "\x81\x02hi";
    for (std::size_t cut = 0; cut < head.size(); ++cut) {
        auto r = parse_response_head(std::string_view(wire).substr(0, cut));
        CHECK(r.state == ResponseHeadResult::State::incomplete);
    }
    auto r = parse_response_head(wire);
    REQUIRE(r.state == ResponseHeadResult::State::complete);
    CHECK(r.head.status == 101);
    CHECK(r.head.reason == "Switching Protocols");
    CHECK(r.head.head_size == head.size());
    CHECK(r.head.headers.size() == 3);
    REQUIRE(r.head.header("upgrade"));
    CHECK(*r.head.header("UPGRADE") == "websocket");
    CHECK(r.head.has_token("connection", "upgrade"));
}

TEST_CASE("a refusal keeps status, reason phrase and headers") {
    auto r = parse_response_head(
        "HTTP/1.1 404 Not Found\r\nx-ms-error:   EndpointNotFound: no listener  \r\nContent-Length: 0\r\n\r\n");
    REQUIRE(r.state == ResponseHeadResult::State::complete);
    CHECK(r.head.status == 404);
    CHECK(r.head.reason == "Not Found");
    REQUIRE(r.head.header("X-MS-Error"));
    CHECK(*r.head.header("X-MS-Error") == "EndpointNotFound: no listener");
    auto bare = parse_response_head("HTTP/1.0 410\n\n");  // bare LF, no phrase
    REQUIRE(bare.state == ResponseHeadResult::State::complete);
    CHECK(bare.head.status == 410);
    CHECK(bare.head.reason.empty());
}

TEST_CASE("malformed heads fail") {
    const char* bad[] = {
        "SSH-2.0-OpenSSH\r\n",                       // not HTTP at all
        "HTTP/2 101 x\r\n\r\n",                      // not HTTP/1.x
        "HTTP/1.1 1O1 x\r\n\r\n",                    // status not digits
        "HTTP/1.1 99 x\r\n\r\n",                     // below 100
        "HTTP/1.1 1011 x\r\n\r\n",                   // four digits
        "HTTP/1.1 101 x\r\nUpgrade websocket\r\n\r\n",  // no colon
        "HTTP/1.1 101 x\r\nUp grade: websocket\r\n\r\n",  // space in the name
        "HTTP/1.1 101 x\r\nA: b\r\n folded\r\n\r\n",  // obs-fold
        "HTTP/1.1 101 x\r\nA: b\x01\r\n\r\n",         // control character
    };
    for (const char* h : bad) {
        CAPTURE(h);
        CHECK(parse_response_head(h).state == ResponseHeadResult::State::error);
    }
    CHECK(parse_response_head("GET").state == ResponseHeadResult::State::error);
    CHECK(parse_response_head("HTT").state == ResponseHeadResult::State::incomplete);
}

TEST_CASE("heads are bounded") {
    ResponseHeadLimits small{256, 3};
    std::string many = "HTTP/1.1 101 x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
    CHECK(parse_response_head(many, small).state == ResponseHeadResult::State::error);
    std::string endless = "HTTP/1.1 101 x\r\nA: " + std::string(300, 'a');
    CHECK(parse_response_head(endless, small).state == ResponseHeadResult::State::error);
    CHECK(parse_response_head("HTTP/1.1 101 " + std::string(300, 'a'), small).state ==
          ResponseHeadResult::State::error);
}
