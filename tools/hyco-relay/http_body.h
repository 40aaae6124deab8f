// Incremental decoding of an HTTP/1.1 request body: none, Content-Length or
// chunked (RFC 9112 §6-7), streaming decoded bytes out as they arrive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

class BodyDecoder {
public:
    enum class Kind { none, length, chunked };

    /// Sets up framing from a request's headers. Returns an empty string on
    /// success, else the reason a 400 (or 501) answer should give.
    std::string init(const HttpRequest& req, int& status);

    /// Consumes bytes from `in` and appends decoded body bytes to `out`.
    /// Returns the number of bytes of `in` consumed; stops at the end of the
    /// body (later bytes belong to the next request). -1 on malformed input,
    /// with error() describing it.
    std::int64_t feed(std::string_view in, std::string& out);

    bool done() const { return state_ == State::done; }
    Kind kind() const { return kind_; }
    /// Declared Content-Length (kind == length).
    std::uint64_t length() const { return length_; }
    const std::string& error() const { return error_; }

    static constexpr std::size_t kMaxChunkLine = 1024;
    static constexpr std::size_t kMaxTrailers = 8 * 1024;

private:
    enum class State { size_line, data, data_crlf, trailers, done, failed };
    Kind kind_ = Kind::none;
    State state_ = State::done;
    std::uint64_t length_ = 0;
    std::uint64_t remaining_ = 0;
    std::string line_;
    std::size_t trailer_bytes_ = 0;
    std::string error_;

    std::int64_t fail(std::string why);
};

}  // namespace hyco::relay
