// An HTTP/1.1 response-head parser (status line and header fields) with
// limits, for the client side of our own WebSocket handshake: the answer to
// an upgrade is either "101 Switching Protocols" or a refusal whose status,
// reason phrase and headers explain why.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyco {

/// A parsed response head. Header names keep their case; lookups ignore it.
struct HttpResponseHead {
    int status = 0;
    std::string reason;  ///< the reason phrase, possibly empty
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t head_size = 0;  ///< bytes of the head including the blank line

    /// First value of a header, or nullptr.
    const std::string* header(std::string_view name) const;
    /// Number of fields with this name.
    std::size_t count(std::string_view name) const;
    /// True when a comma-separated header contains `token` (case-insensitive).
    bool has_token(std::string_view name, std::string_view token) const;
};

struct ResponseHeadLimits {
    std::size_t max_head = 16 * 1024;
    std::size_t max_headers = 100;
};

/// Outcome of trying to parse a head from the bytes received so far.
struct ResponseHeadResult {
    enum class State { incomplete, complete, error } state = State::incomplete;
    HttpResponseHead head;  ///< valid when complete
    std::string error;      ///< when error: what is wrong
};

/// Parses the response head at the start of `data`. Stateless: call again
/// with more bytes while the result is incomplete (heads are bounded).
ResponseHeadResult parse_response_head(std::string_view data, const ResponseHeadLimits& limits = {});

}  // namespace hyco
