// Response-head parsing per RFC 9112 §4-5: strict about the status line and
// field syntax (a malformed answer to an upgrade is a failed connection, not
// something to guess at), bounded in size and field count.
#include "core/http/http_response_head.h"

#include <optional>

#include "core/base/text.h"
#include "core/http/http_fields.h"

namespace hyco {
namespace {

using http::has_bad_value_char;
using http::next_line;
using http::trim_ows;

ResponseHeadResult fail(std::string why) {
    ResponseHeadResult r;
    r.state = ResponseHeadResult::State::error;
    r.error = std::move(why);
    return r;
}

/// "HTTP/1.1 404 Not Found": version, three digits, optional phrase.
bool parse_status_line(std::string_view line, HttpResponseHead& out) {
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' || line[8] != ' ')
        return false;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') return false;
        status = status * 10 + (line[i] - '0');
    }
    if (status < 100) return false;
    if (line.size() > 12 && line[12] != ' ') return false;
    std::string_view phrase = line.size() > 12 ? line.substr(13) : std::string_view();
    if (has_bad_value_char(phrase)) return false;
    out.status = status;
    out.reason = std::string(trim_ows(phrase));
    return true;
}

}  // namespace

const std::string* HttpResponseHead::header(std::string_view name) const { return http::find(headers, name); }

std::size_t HttpResponseHead::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& [k, v] : headers)
        if (text::iequals(k, name)) ++n;
    return n;
}

bool HttpResponseHead::has_token(std::string_view name, std::string_view token) const {
    return http::has_token(headers, name, token);
}

ResponseHeadResult parse_response_head(std::string_view data, const ResponseHeadLimits& limits) {
    std::size_t pos = 0;
    auto status_line = next_line(data, pos);
    if (!status_line) {
        if (data.size() > limits.max_head) return fail("the status line is too long");
        // Fail early on what can never become a status line.
        std::string_view want = "HTTP/1.";
        std::size_t n = std::min(want.size(), data.size());
        if (data.substr(0, n) != want.substr(0, n)) return fail("the answer is not HTTP");
        return {};
    }
    ResponseHeadResult r;
    HttpResponseHead& head = r.head;
    if (!parse_status_line(*status_line, head)) return fail("malformed status line");
    for (;;) {
        auto line = next_line(data, pos);
        if (!line) {
            if (data.size() > limits.max_head) return fail("the response head is too large");
            return {};
        }
        if (pos > limits.max_head) return fail("the response head is too large");
        if (line->empty()) break;
        if (head.headers.size() >= limits.max_headers) return fail("too many header fields");
        switch (http::parse_field_line(*line, head.headers)) {
            case http::FieldError::none: break;
            case http::FieldError::folding: return fail("obsolete line folding in the response head");
            case http::FieldError::no_colon: return fail("a header line without ':'");
            case http::FieldError::bad_name: return fail("malformed header name");
            case http::FieldError::bad_value: return fail("control characters in a header value");
        }
    }
    head.head_size = pos;
    r.state = ResponseHeadResult::State::complete;
    return r;
}

}  // namespace hyco
