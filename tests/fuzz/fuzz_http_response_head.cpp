// Fuzz target: what a relay (or proxy) answers a client: the HTTP response
// head, the WebSocket upgrade checks on it, and the body framing after it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/http_body.h"
#include "core/http/http_response_head.h"
#include "core/ws/ws_handshake.h"
#include "tests/fuzz/body_drain.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto r = hyco::parse_response_head(in);
    if (r.state != hyco::ResponseHeadResult::State::complete) return 0;
    const hyco::HttpResponseHead& head = r.head;
    (void)hyco::check_upgrade(head, "dGhlIHNhbXBsZSBub25jZQ==", {"hyco.plain", "hyco.end.v1"});
    (void)hyco::failure_headers(head);
    hyco::http::BodyDecoder body;
    if (!body.init_response(head.headers, head.status, false).empty()) return 0;
    drain_body(body, in.substr(head.head_size));
    return 0;
}
