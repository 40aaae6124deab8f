// Fuzz target: HTTP body framing on its own, the way bytes really arrive.
// Input: byte 0 picks request or response framing (and the response's
// status and method), byte 1 where the body is split, then header lines, a
// blank line and the body bytes. However the bytes are split, the decoder
// must deliver the same body and stop at the same place; it never delivers
// more than Content-Length or than it consumed; and what it decodes as
// chunked re-encodes and decodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/http/http_body.h"
#include "core/http/http_fields.h"
#include "tests/fuzz/invariant.h"

namespace {

using hyco::http::BodyDecoder;

struct Framing {
    bool request = true;
    int status = 200;
    bool head_request = false;
    hyco::http::Fields fields;

    /// A fresh decoder set up from these headers; false when they are refused.
    bool start(BodyDecoder& d) const {
        if (request) return !d.init(fields);
        return d.init_response(fields, status, head_request).empty();
    }
};

struct Outcome {
    std::string body;
    std::size_t consumed = 0;  ///< unknown (0) after a failure: feed() then says -1
    bool failed = false;
    bool done = false;

    bool operator==(const Outcome&) const = default;
    void fail() {
        failed = true;
        consumed = 0;
    }
};

/// Feeds `pieces` in order, each until the decoder takes no more of it.
Outcome decode(BodyDecoder& d, std::initializer_list<std::string_view> pieces) {
    Outcome o;
    for (std::string_view piece : pieces) {
        while (!piece.empty() && !o.failed && !d.done()) {
            std::int64_t used = d.feed(piece, o.body);
            if (used < 0) {
                o.fail();
                break;
            }
            require(static_cast<std::size_t>(used) <= piece.size(), "never consumes more than it was given");
            if (used == 0) break;
            o.consumed += static_cast<std::size_t>(used);
            piece.remove_prefix(static_cast<std::size_t>(used));
        }
        if (o.failed || d.done()) break;
    }
    o.done = d.done();
    return o;
}

Outcome byte_by_byte(BodyDecoder& d, std::string_view in) {
    Outcome o;
    for (std::size_t i = 0; i < in.size() && !d.done(); ++i) {
        std::int64_t used = d.feed(in.substr(i, 1), o.body);
        if (used < 0) {
            o.fail();
            break;
        }
        require(used == 1, "a single byte is taken while the body goes on");
        ++o.consumed;
    }
    o.done = d.done();
    return o;
}

void check_kind(const BodyDecoder& d, const Outcome& o, std::string_view in) {
    switch (d.kind()) {
        case BodyDecoder::Kind::none:
            require(o.body.empty() && o.consumed == 0 && o.done, "no body takes no bytes");
            break;
        case BodyDecoder::Kind::length:
            require(o.body.size() <= d.length(), "no more than Content-Length");
            require(o.consumed == o.body.size(), "every byte of a sized body is body");
            require(o.done == (o.body.size() == d.length()), "a sized body ends at its length");
            break;
        case BodyDecoder::Kind::until_close:
            require(o.body == in && !o.done, "a close-delimited body is all bytes until the close");
            break;
        case BodyDecoder::Kind::chunked:
            require(o.body.size() < o.consumed || o.consumed == 0, "chunk framing costs bytes");
            break;
    }
}

void check_rechunked(const Framing& f, const std::string& body) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", body.size());
    std::string wire = body.empty() ? std::string() : size + body + "\r\n";
    wire += "0\r\n\r\n";
    BodyDecoder d;
    require(f.start(d), "the same headers are accepted again");
    Outcome o = decode(d, {wire});
    require(o.done && !o.failed && o.body == body && o.consumed == wire.size(), "chunked round-trips");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 16384) return 0;
    Framing f;
    f.request = !(data[0] & 1);
    static constexpr int kStatuses[] = {200, 204, 304, 101};
    f.status = kStatuses[(data[0] >> 1) & 3];
    f.head_request = data[0] & 8;
    std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
    for (std::string_view line = take_field(in); !line.empty() && f.fields.size() < 16; line = take_field(in))
        if (hyco::http::parse_field_line(line, f.fields) != hyco::http::FieldError::none) return 0;

    BodyDecoder whole, split, bytes;
    if (!f.start(whole)) return 0;
    require(f.start(split) && f.start(bytes), "setting up is repeatable");
    Outcome a = decode(whole, {in});
    std::size_t cut = data[1] % (in.size() + 1);
    Outcome b = decode(split, {in.substr(0, cut), in.substr(cut)});
    Outcome c = byte_by_byte(bytes, in);
    require(a == b && a == c, "the split of the input does not matter");
    require(a.consumed <= in.size(), "never consumes beyond the input");
    if (!a.failed) check_kind(whole, a, in);
    if (a.failed) require(!whole.error().empty(), "a failure says why");

    if (a.done) {
        std::string more;
        require(whole.feed("trailing", more) == 0 && more.empty(), "a finished body takes nothing more");
    }
    bool kind_ends_at_close = whole.kind() == BodyDecoder::Kind::until_close;
    require(whole.end_of_input() == (!a.failed && (a.done || kind_ends_at_close)), "the close ends only what it delimits");
    if (whole.kind() == BodyDecoder::Kind::chunked && a.done) check_rechunked(f, a.body);
    return 0;
}
