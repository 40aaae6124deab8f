// Fuzz target: what hyco-relay reads from any client: the HTTP request head,
// its query string, and the request body framing after it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http/http_body.h"
#include "tests/fuzz/body_drain.h"
#include "tools/hyco-relay/http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto r = hyco::relay::parse_request_head(in);
    if (r.state != hyco::relay::HeadResult::State::complete) return 0;
    const auto& req = r.request;
    auto params = hyco::relay::parse_query(req.query());
    (void)hyco::relay::query_value(params, "sb-hc-action");
    (void)req.joined("connection");
    (void)req.has_token("upgrade", "websocket");
    hyco::http::BodyDecoder body;
    if (body.init(req.headers)) return 0;
    drain_body(body, in.substr(req.head_size));
    return 0;
}
