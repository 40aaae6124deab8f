// Fuzz target: properties of the core HTTP request-head parser, which
// fuzz_relay_request_head only runs. The parser is stateless and called
// again as bytes arrive, so a head it completes must read as incomplete at
// every shorter length (never refused, never complete too early), and the
// same whatever follows it; what it returns stays inside the input and its
// limits, and the query splits back into exactly the query.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/http/http_fields.h"
#include "core/http/http_request_head.h"
#include "tests/fuzz/invariant.h"

namespace {

using hyco::http::HeadResult;

void check_query(std::string_view query) {
    std::string joined;
    auto params = hyco::http::parse_query(query);
    for (std::size_t i = 0; i < params.size(); ++i) {
        joined += (i ? "&" : "") + params[i].raw;
        require(params[i].has_value == (params[i].raw.find('=') != std::string::npos), "a value is what follows '='");
    }
    require(joined == query, "the pairs are the query");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    hyco::http::HeadLimits limits;
    HeadResult r = hyco::http::parse_request_head(in, limits);
    if (r.state == HeadResult::State::error) {
        int s = r.refusal.status;
        require(s == 400 || s == 431 || s == 501 || s == 505, "a refusal is 400, 431, 501 or 505");
        return 0;
    }
    if (r.state == HeadResult::State::incomplete) return 0;
    const auto& req = r.request;
    require(req.head_size <= in.size() && in.substr(0, req.head_size).ends_with("\n"), "the head ends at a line end");
    require(req.headers.size() <= limits.max_headers, "no more fields than the limit");
    require(hyco::http::is_token(req.method) && req.target.starts_with('/'), "a method token and an origin-form target");
    require(req.minor_version == 0 || req.minor_version == 1, "HTTP/1.0 or 1.1");
    std::string_view head = in.substr(0, req.head_size);
    for (std::size_t cut : {req.head_size - 1, req.head_size / 2, std::size_t(data[0]) % req.head_size})
        require(hyco::http::parse_request_head(head.substr(0, cut), limits).state == HeadResult::State::incomplete,
                "a shorter head is only incomplete");
    HeadResult alone = hyco::http::parse_request_head(head, limits);
    require(alone.state == HeadResult::State::complete && alone.request.head_size == req.head_size &&
                alone.request.headers == req.headers && alone.request.target == req.target,
            "what follows the head does not change it");
    require(req.path().size() + (req.query().empty() ? 0 : req.query().size() + 1) <= req.target.size(),
            "path and query are parts of the target");
    check_query(req.query());
    return 0;
}
