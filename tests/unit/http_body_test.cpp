// Tests of the HTTP body decoder: request framing (as the relay reads sender
// bodies) and response framing (as hyco-pipe reads HTTP targets), at every
// split point and with malformed input.
#include <doctest/doctest.h>

#include "core/http/http_body.h"

using namespace hyco::http;

TEST_CASE("Content-Length bodies stop at the declared length") {
    BodyDecoder d;
    REQUIRE(!d.init(Fields({{"Content-Length", "5"}})));
    std::string out;
    CHECK(d.feed("hel", out) == 3);
    CHECK(!d.done());
    CHECK(d.feed("loGET", out) == 2);
    CHECK(d.done());
    CHECK(out == "hello");
}

TEST_CASE("framing errors are refused") {
    BodyDecoder d;
    CHECK(d.init(Fields({{"Content-Length", "5"}, {"Content-Length", "6"}}))->status == 400);
    CHECK(d.init(Fields({{"Content-Length", "-1"}})));
    CHECK(d.init(Fields({{"Content-Length", "99999999999999999999"}})));
    CHECK(d.init(Fields({{"Transfer-Encoding", "gzip"}}))->status == 501);
    CHECK(d.init(Fields({{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})));
    CHECK(!d.init(Fields({{"Content-Length", "7, 7"}})));
    CHECK(d.length() == 7);
    CHECK(!d.init(Fields({})));
    CHECK(d.done());
}

TEST_CASE("chunked bodies decode at every split point") {
    const std::string wire = "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT";
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        BodyDecoder d;
            REQUIRE(!d.init(Fields({{"Transfer-Encoding", "chunked"}})));
        std::string out;
        auto a = d.feed(std::string_view(wire).substr(0, cut), out);
        REQUIRE(a >= 0);
        auto b = d.feed(std::string_view(wire).substr(static_cast<std::size_t>(a)), out);
        REQUIRE(b >= 0);
        CHECK(d.done());
        CHECK(out == "Wikipedia in\r\n\r\nchunks.");
        CHECK(static_cast<std::size_t>(a + b) == wire.size() - 4);
    }
}

TEST_CASE("drain hands a buffer that is all body over whole, and splits one that is not") {
    BodyDecoder d;
    REQUIRE(!d.init(Fields({{"Content-Length", "200"}})));
    const std::string first(100, 'a'), second(100, 'b');
    std::string in = first, out;
    const char* buffer = in.data();
    CHECK(d.drain(in, out) == 100);
    CHECK(out == first);
    CHECK(out.data() == buffer);  // moved, not copied
    CHECK(in.empty());
    CHECK(!d.done());
    // The rest of the body and the next request: only the body leaves `in`.
    in = second + "GET / HTTP/1.1\r\n";
    out.clear();
    CHECK(d.drain(in, out) == 100);
    CHECK(out == second);
    CHECK(in == "GET / HTTP/1.1\r\n");
    CHECK(d.done());
    CHECK(d.drain(in, out) == 0);  // a finished body takes nothing more
    CHECK(in == "GET / HTTP/1.1\r\n");
}

TEST_CASE("drain decodes chunked bodies at every split point, as feed does") {
    const std::string wire = "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\nNEXT";
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        BodyDecoder d;
        REQUIRE(!d.init(Fields({{"Transfer-Encoding", "chunked"}})));
        std::string body, in = wire.substr(0, cut);
        for (std::string piece : {std::string(), wire.substr(cut)}) {
            in += piece;
            std::string out;
            REQUIRE(d.drain(in, out) >= 0);
            body += out;
        }
        CHECK(d.done());
        CHECK(body == "Wikipedia");
        CHECK(in == "NEXT");
    }
}

TEST_CASE("drain appends to what the caller already holds") {
    BodyDecoder d;
    REQUIRE(!d.init(Fields({{"Content-Length", "3"}})));
    std::string in = "abc", out = "held:";
    CHECK(d.drain(in, out) == 3);
    CHECK(out == "held:abc");
    CHECK(in.empty());
    CHECK(d.done());
}

TEST_CASE("drain passes a body delimited by the connection's end through whole") {
    BodyDecoder d;
    REQUIRE(d.init_response(Fields({}), 200, false).empty());
    std::string in(100000, 'x'), out;
    CHECK(d.drain(in, out) == 100000);
    CHECK(out.size() == 100000);
    CHECK(in.empty());
    CHECK(d.end_of_input());
}

TEST_CASE("malformed chunked bodies fail") {
    for (std::string bad : {std::string("zz\r\n"), std::string("4\r\nWikiXX"), std::string(2000, '1'), std::string("0x10\r\n")}) {
        BodyDecoder d;
            REQUIRE(!d.init(Fields({{"Transfer-Encoding", "chunked"}})));
        std::string out;
        CHECK(d.feed(bad, out) == -1);
        CHECK(!d.error().empty());
    }
}

TEST_CASE("response framing follows RFC 9112 section 6.3") {
    BodyDecoder d;
    std::string out;
    CHECK(d.init_response({{"Content-Length", "4"}}, 200, true).empty());
    CHECK(d.done());  // HEAD: no body whatever the headers say
    for (int status : {101, 204, 304}) {
        CHECK(d.init_response({{"Content-Length", "4"}}, status, false).empty());
        CHECK(d.done());
    }
    CHECK(d.init_response({{"Content-Length", "4"}}, 200, false).empty());
    CHECK(d.kind() == BodyDecoder::Kind::length);
    CHECK(d.feed("abcdef", out) == 4);
    CHECK(d.done());
    CHECK(!d.init_response({{"Transfer-Encoding", "gzip"}}, 200, false).empty());
}

TEST_CASE("a response without framing ends with the connection") {
    BodyDecoder d;
    std::string out;
    REQUIRE(d.init_response({{"Content-Type", "text/plain"}}, 200, false).empty());
    CHECK(d.kind() == BodyDecoder::Kind::until_close);
    CHECK(d.feed("all of ", out) == 7);
    CHECK(d.feed("it", out) == 2);
    CHECK(!d.done());
    CHECK(d.end_of_input());
    CHECK(out == "all of it");
}

TEST_CASE("a truncated response body is not complete at the end of input") {
    BodyDecoder d;
    std::string out;
    REQUIRE(d.init_response({{"Content-Length", "10"}}, 200, false).empty());
    CHECK(d.feed("short", out) == 5);
    CHECK(!d.end_of_input());
    REQUIRE(d.init_response({{"Transfer-Encoding", "chunked"}}, 200, false).empty());
    CHECK(d.feed("5\r\nhello\r\n", out) > 0);
    CHECK(!d.end_of_input());
}
