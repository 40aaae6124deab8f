// Request-head parsing per RFC 9112 §2-5, strict where laxness would let a
// request be read two ways (obs-fold, whitespace before ':', bad versions).
#include "core/http/http_request_head.h"

#include "core/base/text.h"
#include "core/http/http_fields.h"

namespace hyco::http {
namespace {

HeadResult fail(int status, std::string reason) {
    HeadResult r;
    r.state = HeadResult::State::error;
    r.refusal = Refusal{status, std::move(reason)};
    return r;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const { return http::find(headers, name); }

std::optional<std::string> HttpRequest::joined(std::string_view name) const {
    return http::joined(headers, name);
}

bool HttpRequest::has_token(std::string_view name, std::string_view token) const {
    return http::has_token(headers, name, token);
}

std::string_view HttpRequest::path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
    std::string_view t = target;
    auto q = t.find('?');
    return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

HeadResult parse_request_head(std::string_view data, const HeadLimits& limits) {
    std::size_t pos = 0;
    // RFC 9112 §2.2: ignore empty lines before the request line.
    while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n')) {
        if (pos > 8) return fail(400, "too many empty lines before the request line");
        ++pos;
    }
    std::size_t start = pos;
    auto too_big = [&](std::size_t end) { return end - start > limits.max_head; };

    auto request_line = next_line(data, pos);
    if (!request_line) {
        if (too_big(data.size())) return fail(431, "the request line is too long");
        return {};
    }
    HeadResult r;
    HttpRequest& req = r.request;
    {
        std::string_view line = *request_line;
        auto sp1 = line.find(' ');
        auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
        if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
            return fail(400, "malformed request line");
        std::string_view method = line.substr(0, sp1);
        std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::string_view version = line.substr(sp2 + 1);
        if (!is_token(method)) return fail(400, "malformed method");
        if (target.empty() || target.front() != '/' || has_bad_value_char(target) ||
            target.find_first_of(" \t") != std::string_view::npos)
            return fail(400, "the request target must be a path starting with '/'");
        if (version.size() != 8 || version.substr(0, 7) != "HTTP/1.") {
            if (version.substr(0, 5) == "HTTP/") return fail(505, "only HTTP/1.x is supported");
            return fail(400, "malformed HTTP version");
        }
        if (version[7] != '0' && version[7] != '1') return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
        req.method = std::string(method);
        req.target = std::string(target);
        req.minor_version = version[7] - '0';
    }
    for (;;) {
        auto line = next_line(data, pos);
        if (!line) {
            if (too_big(data.size())) return fail(431, "the request head is larger than 32 KiB");
            return {};
        }
        if (too_big(pos)) return fail(431, "the request head is larger than 32 KiB");
        if (line->empty()) break;
        if (req.headers.size() >= limits.max_headers) return fail(431, "too many header fields");
        switch (http::parse_field_line(*line, req.headers)) {
            case http::FieldError::none: break;
            case http::FieldError::folding: return fail(400, "obsolete header line folding");
            case http::FieldError::no_colon: return fail(400, "a header line has no ':'");
            case http::FieldError::bad_name: return fail(400, "malformed header name");
            case http::FieldError::bad_value: return fail(400, "a header value contains control characters");
        }
    }
    // RFC 9112 §6.1: HTTP/1.0 has no transfer codings, and a message that
    // carries one anyway has faulty framing (a smuggling vector between
    // hops that disagree): refuse it rather than guess where the body ends.
    if (req.minor_version == 0 && req.header("Transfer-Encoding"))
        return fail(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    req.head_size = pos;
    r.state = HeadResult::State::complete;
    return r;
}

std::vector<QueryParam> parse_query(std::string_view query) {
    std::vector<QueryParam> out;
    if (query.empty()) return out;
    for (std::string_view pair : text::split(query, '&')) {
        QueryParam p;
        p.raw = std::string(pair);
        auto eq = pair.find('=');
        std::string_view name = pair.substr(0, eq);
        if (eq != std::string_view::npos) {
            p.has_value = true;
            p.value_raw = std::string(pair.substr(eq + 1));
        }
        auto decoded = text::percent_decode(name, true);
        p.name = decoded ? *decoded : std::string(name);
        out.push_back(std::move(p));
    }
    return out;
}

std::optional<std::string> query_value(const std::vector<QueryParam>& params, std::string_view name) {
    for (const QueryParam& p : params) {
        if (p.name != name) continue;
        auto v = text::percent_decode(p.value_raw, true);
        if (!v) return std::nullopt;
        return v;
    }
    return std::nullopt;
}

}  // namespace hyco::http
