// Chunked framing of the request bodies hyco-pipe streams to an HTTP target.
#include <doctest/doctest.h>

#include "core/http/http_body.h"
#include "tools/hyco-pipe/http_translate.h"

using namespace hyco;

TEST_CASE("chunks carry the piece's size in hex and decode back to the piece") {
    CHECK(pipe::chunk("Wiki") == "4\r\nWiki\r\n");
    CHECK(pipe::chunk(std::string(255, 'x')) == "ff\r\n" + std::string(255, 'x') + "\r\n");
    std::string wire = "held";
    const std::string big(300000, 'b');
    pipe::append_chunk(wire, "pedia");
    pipe::append_chunk(wire, big);
    CHECK(wire.compare(0, 14, "held5\r\npedia\r\n") == 0);
    CHECK(wire.compare(14, 7, "493e0\r\n") == 0);
    // What a target's decoder makes of the chunks, ended as the stream ends them.
    http::BodyDecoder d;
    REQUIRE(!d.init(http::Fields({{"Transfer-Encoding", "chunked"}})));
    std::string body;
    CHECK(d.feed(std::string_view(wire).substr(4), body) == static_cast<std::int64_t>(wire.size() - 4));
    CHECK(d.feed("0\r\n\r\n", body) == 5);
    CHECK(d.done());
    CHECK(body == "pedia" + big);
}
