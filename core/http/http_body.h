// Incremental decoding of an HTTP/1.1 message body: none, Content-Length,
// chunked (RFC 9112 §6-7) or, for responses, delimited by the connection's
// end; streams decoded bytes out as they arrive. The relay decodes sender
// request bodies with it, hyco-pipe the responses of HTTP targets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/http/http_fields.h"
#include "core/http/refusal.h"

namespace hyco::http {

class BodyDecoder {
public:
    enum class Kind { none, length, chunked, until_close };

    /// Sets up request framing from the header fields, or says why the
    /// request must be refused (400, or 501 for a coding we cannot frame).
    std::optional<Refusal> init(const Fields& fields);
    /// Sets up response framing (RFC 9112 §6.3): no body for HEAD requests
    /// and 1xx/204/304, else chunked, Content-Length, or up to the end of the
    /// connection. Returns an empty string or what is wrong.
    std::string init_response(const Fields& fields, int status_code, bool head_request);

    /// Consumes bytes from `in` and appends decoded body bytes to `out`.
    /// Returns the number of bytes of `in` consumed; stops at the end of the
    /// body (later bytes belong to the next message). -1 on malformed input,
    /// with error() describing it.
    std::int64_t feed(std::string_view in, std::string& out);
    /// feed() for a caller that gives up what it consumes: the consumed
    /// bytes leave `in`, and when all of `in` is body as it stands (inside
    /// a Content-Length body or a chunk, or up to the connection's end) and
    /// `out` is empty, `in`'s buffer becomes `out` rather than a copy of it.
    std::int64_t drain(std::string& in, std::string& out);
    /// The connection ended: true when that completes the body (it is
    /// delimited by the close, or was already complete).
    bool end_of_input();

    bool done() const { return state_ == State::done; }
    Kind kind() const { return kind_; }
    /// Declared Content-Length (kind == length).
    std::uint64_t length() const { return length_; }
    const std::string& error() const { return error_; }

    static constexpr std::size_t kMaxChunkLine = 1024;
    static constexpr std::size_t kMaxTrailers = 8 * 1024;

private:
    enum class State { size_line, data, data_crlf, trailers, until_close, done, failed };
    Kind kind_ = Kind::none;
    State state_ = State::done;
    std::uint64_t length_ = 0;
    std::uint64_t remaining_ = 0;
    std::string line_;
    std::size_t trailer_bytes_ = 0;
    std::string error_;

    void reset();
    std::int64_t fail(std::string why);
};

}  // namespace hyco::http
