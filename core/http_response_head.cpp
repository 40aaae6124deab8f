// Response-head parsing per RFC 9112 §4-5: strict about the status line and
// field syntax (a malformed answer to an upgrade is a failed connection, not
// something to guess at), bounded in size and field count.
#include "core/http_response_head.h"

#include <optional>

#include "core/text.h"

namespace hyco {
namespace {

bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_tchar(c)) return false;
    return true;
}

bool has_bad_value_char(std::string_view s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    return false;
}

ResponseHeadResult fail(std::string why) {
    ResponseHeadResult r;
    r.state = ResponseHeadResult::State::error;
    r.error = std::move(why);
    return r;
}

/// Next line ending in LF starting at `pos`; the CR before the LF is dropped.
std::optional<std::string_view> next_line(std::string_view data, std::size_t& pos) {
    auto lf = data.find('\n', pos);
    if (lf == std::string_view::npos) return std::nullopt;
    std::string_view line = data.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    return line;
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
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

const std::string* HttpResponseHead::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (text::iequals(k, name)) return &v;
    return nullptr;
}

std::size_t HttpResponseHead::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& [k, v] : headers)
        if (text::iequals(k, name)) ++n;
    return n;
}

bool HttpResponseHead::has_token(std::string_view name, std::string_view token) const {
    for (const auto& [k, v] : headers) {
        if (!text::iequals(k, name)) continue;
        for (std::string_view item : text::split(v, ','))
            if (text::iequals(trim_ows(item), token)) return true;
    }
    return false;
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
        if (line->front() == ' ' || line->front() == '\t') return fail("obsolete line folding in the response head");
        auto colon = line->find(':');
        if (colon == std::string_view::npos) return fail("a header line without ':'");
        std::string_view name = line->substr(0, colon);
        std::string_view value = trim_ows(line->substr(colon + 1));
        if (!is_token(name)) return fail("malformed header name");
        if (has_bad_value_char(value)) return fail("control characters in a header value");
        if (head.headers.size() >= limits.max_headers) return fail("too many header fields");
        head.headers.emplace_back(std::string(name), std::string(value));
    }
    head.head_size = pos;
    r.state = ResponseHeadResult::State::complete;
    return r;
}

}  // namespace hyco
