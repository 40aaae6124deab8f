// The forwarding rules every hyco hop applies to header fields: one
// hop-by-hop list, Connection's options, and one merge of repeats.
#include <doctest/doctest.h>

#include "core/http/http_fields.h"

using namespace hyco::http;

TEST_CASE("hop-by-hop: the connection-specific and framing fields, in any case") {
    for (const char* name : {"Connection", "keep-alive", "PROXY-CONNECTION", "TE", "Trailer", "Transfer-Encoding",
                             "Upgrade", "Close", "Content-Length"})
        CHECK_MESSAGE(is_hop_by_hop(name), name);
    for (const char* name : {"Content-Type", "Set-Cookie", "Via", "Authorization", "X-Custom", "Trailers"})
        CHECK_MESSAGE(!is_hop_by_hop(name), name);
}

TEST_CASE("hop-by-hop: a field that Connection names is this hop's only") {
    Fields f{{"Connection", "keep-alive, X-Secret"}, {"connection", " X-Other ,,"}, {"X-Secret", "1"}, {"X-Kept", "2"}};
    std::vector<std::string> options = connection_options(f);
    CHECK(options == std::vector<std::string>{"keep-alive", "X-Secret", "X-Other"});
    CHECK(is_hop_by_hop("x-secret", options));
    CHECK(is_hop_by_hop("X-OTHER", options));
    CHECK(!is_hop_by_hop("X-Kept", options));
}

TEST_CASE("end_to_end drops what is hop-by-hop and keeps repeats apart (Set-Cookie)") {
    Fields f{{"Connection", "X-Hop"}, {"X-Hop", "a"},         {"Set-Cookie", "a=1"}, {"Content-Length", "5"},
             {"Set-Cookie", "b=2"},   {"Keep-Alive", "t=5"}, {"Content-Type", "text/plain"}};
    Fields want{{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}, {"Content-Type", "text/plain"}};
    CHECK(end_to_end(f) == want);
}

TEST_CASE("merge appends a repeat to the first field of that name, in any case") {
    Fields out;
    merge(out, "Accept", "text/html");
    merge(out, "X-One", "1");
    merge(out, "accept", "application/json");
    merge(out, "ACCEPT", "*/*");
    Fields want{{"Accept", "text/html, application/json, */*"}, {"X-One", "1"}};
    CHECK(out == want);
}
