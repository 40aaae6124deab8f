// Body framing: Transfer-Encoding chunked wins over Content-Length, which is
// refused when repeated with different values (request smuggling guard).
#include "core/http/http_body.h"

#include "core/base/text.h"

namespace hyco::http {

std::int64_t BodyDecoder::fail(std::string why) {
    state_ = State::failed;
    error_ = std::move(why);
    return -1;
}

void BodyDecoder::reset() {
    kind_ = Kind::none;
    state_ = State::done;
    length_ = remaining_ = 0;
    line_.clear();
    trailer_bytes_ = 0;
    error_.clear();
}

std::optional<Refusal> BodyDecoder::init(const Fields& fields) {
    reset();
    if (auto te = joined(fields, "Transfer-Encoding")) {
        // Only "chunked" (last) is understood; anything else cannot be framed.
        auto parts = text::split(*te, ',');
        if (!text::iequals(text::trim(parts.back()), "chunked")) return Refusal{501, "unsupported Transfer-Encoding"};
        if (parts.size() > 1) return Refusal{501, "only 'chunked' transfer coding is supported"};
        if (find(fields, "Content-Length")) return Refusal{400, "both Transfer-Encoding and Content-Length given"};
        kind_ = Kind::chunked;
        state_ = State::size_line;
        return std::nullopt;
    }
    if (auto cl = joined(fields, "Content-Length")) {
        std::string first;
        for (std::string_view v : text::split(*cl, ',')) {
            std::string_view t = text::trim(v);
            if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string_view::npos)
                return Refusal{400, "malformed Content-Length"};
            if (!first.empty() && t != first) return Refusal{400, "conflicting Content-Length values"};
            first = std::string(t);
        }
        kind_ = Kind::length;
        length_ = remaining_ = std::stoull(first);
        state_ = remaining_ ? State::data : State::done;
    }
    return std::nullopt;
}

std::string BodyDecoder::init_response(const Fields& fields, int status_code, bool head_request) {
    reset();
    if (head_request || status_code < 200 || status_code == 204 || status_code == 304) return {};
    if (auto refused = init(fields)) return refused->reason;
    if (kind_ == Kind::none) {
        kind_ = Kind::until_close;
        state_ = State::until_close;
    }
    return {};
}

std::int64_t BodyDecoder::drain(std::string& in, std::string& out) {
    bool verbatim = state_ == State::until_close || (state_ == State::data && remaining_ >= in.size());
    if (!verbatim || !out.empty() || in.empty()) {
        std::int64_t n = feed(in, out);
        if (n > 0) in.erase(0, static_cast<std::size_t>(n));
        return n;
    }
    auto n = static_cast<std::int64_t>(in.size());
    if (state_ == State::data) {
        remaining_ -= in.size();
        if (remaining_ == 0) state_ = kind_ == Kind::chunked ? State::data_crlf : State::done;
    }
    out.swap(in);
    in.clear();
    return n;
}

bool BodyDecoder::end_of_input() {
    if (state_ == State::until_close) state_ = State::done;
    return state_ == State::done;
}

std::int64_t BodyDecoder::feed(std::string_view in, std::string& out) {
    std::size_t pos = 0;
    while (pos < in.size() && state_ != State::done) {
        switch (state_) {
            case State::until_close:
                out.append(in.substr(pos));
                pos = in.size();
                break;
            case State::data: {
                std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - pos));
                out.append(in.substr(pos, n));
                pos += n;
                remaining_ -= n;
                if (remaining_ == 0) state_ = kind_ == Kind::chunked ? State::data_crlf : State::done;
                break;
            }
            case State::size_line:
            case State::data_crlf:
            case State::trailers: {
                char c = in[pos++];
                if (state_ == State::data_crlf && c != '\r' && c != '\n')
                    return fail("chunk data not followed by CRLF");
                if (c != '\n') {
                    line_ += c;
                    if (line_.size() > kMaxChunkLine) return fail("chunk line too long");
                    break;
                }
                if (!line_.empty() && line_.back() == '\r') line_.pop_back();
                std::string line = std::move(line_);
                line_.clear();
                if (state_ == State::data_crlf) {
                    if (!line.empty()) return fail("chunk data not followed by CRLF");
                    state_ = State::size_line;
                } else if (state_ == State::trailers) {
                    trailer_bytes_ += line.size();
                    if (trailer_bytes_ > kMaxTrailers) return fail("trailer section too large");
                    if (line.empty()) state_ = State::done;  // trailers are dropped
                } else {
                    std::string_view size = line;
                    size = size.substr(0, size.find(';'));  // chunk extensions are ignored
                    size = text::trim(size);
                    if (size.empty() || size.size() > 15 ||
                        size.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
                        return fail("malformed chunk size");
                    remaining_ = std::stoull(std::string(size), nullptr, 16);
                    state_ = remaining_ ? State::data : State::trailers;
                }
                break;
            }
            case State::done:
            case State::failed:
                return state_ == State::failed ? -1 : static_cast<std::int64_t>(pos);
        }
    }
    return static_cast<std::int64_t>(pos);
}

}  // namespace hyco::http
