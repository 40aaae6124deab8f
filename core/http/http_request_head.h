// An HTTP/1.1 request-head parser (request line and header fields) with
// limits, and query-string splitting: hyco-relay reads its clients' requests
// with it (lws cannot defer a WebSocket upgrade), hyco-pipe's relay-http:
// front the requests of local HTTP clients.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http/refusal.h"

namespace hyco::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;  ///< the same as Fields

/// A parsed request head. Header names keep their case; lookups ignore it.
struct HttpRequest {
    std::string method;
    std::string target;   ///< request-target as sent (origin form)
    int minor_version = 1;  ///< HTTP/1.x
    HeaderList headers;
    std::size_t head_size = 0;  ///< bytes of the head including the blank line

    /// First value of a header, or nullptr.
    const std::string* header(std::string_view name) const;
    /// All values of a header joined with ", " (RFC 9110 list semantics).
    std::optional<std::string> joined(std::string_view name) const;
    /// True when a comma-separated header contains `token` (case-insensitive).
    bool has_token(std::string_view name, std::string_view token) const;
    /// The path part of the target (before '?'), raw.
    std::string_view path() const;
    /// The query part of the target (after '?'), raw; empty if none.
    std::string_view query() const;
};

struct HeadLimits {
    std::size_t max_head = 32 * 1024;   ///< the protocol's 32 KB header metadata limit
    std::size_t max_headers = 128;
};

/// Outcome of trying to parse a head from the bytes received so far.
struct HeadResult {
    enum class State { incomplete, complete, error } state = State::incomplete;
    HttpRequest request;  ///< valid when complete
    Refusal refusal;      ///< when error: 400, 431, 501 or 505, and what is wrong
};

/// Parses the request head at the start of `data`. Stateless: call again with
/// more bytes when the result is incomplete (heads are small and bounded).
HeadResult parse_request_head(std::string_view data, const HeadLimits& limits = {});

/// One `name=value` pair of a query string; `value` is still percent-encoded.
struct QueryParam {
    std::string name;       ///< decoded (form rules: '+' is a space)
    std::string raw;        ///< the pair exactly as written
    std::string value_raw;  ///< text after '=', still encoded
    bool has_value = false;
};

/// Splits a raw query string into pairs; empty pairs are kept (raw == "").
std::vector<QueryParam> parse_query(std::string_view query);

/// Decoded value of the first parameter `name` (form decoding), if present.
std::optional<std::string> query_value(const std::vector<QueryParam>& params, std::string_view name);

}  // namespace hyco::http
