// A relayed HTTP request as a stream (see http_stream.h).
#include "tools/hyco-pipe/http_stream.h"

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/http/http_response_head.h"

namespace hyco::pipe {
namespace {

constexpr const char* kBadGateway = "Bad Gateway: the listener's target gave no valid HTTP response";
constexpr const char* kUnreachable = "Bad Gateway: the listener could not reach its target";
/// Request bodies up to this size are sent with a Content-Length, larger or
/// streamed ones chunked (some servers read only Content-Length bodies).
constexpr std::size_t kHoldBody = 64 * 1024;

bool method_has_body(std::string_view m) {
    for (std::string_view bodiless : {"GET", "HEAD", "DELETE", "OPTIONS", "TRACE"})
        if (text::iequals(m, bodiless)) return false;
    return true;
}

}  // namespace

HttpStream::HttpStream(EventLoop& loop, control::Request request, std::string body, RelayedHttp::ChannelSend channel,
                       WsTimeouts timeouts, std::chrono::milliseconds deadline, std::string entity)
    : http_(loop, static_cast<RelayedHttp::Events&>(*this), std::move(request), std::move(body), std::move(channel),
            timeouts, deadline),
      entity_(std::move(entity)) {}

HttpStream::~HttpStream() = default;

void HttpStream::open(Stream::Events& events) {
    events_ = &events;
    http_.start();
}

std::string HttpStream::describe() const {
    if (!opened_) return "HTTP request via relay";
    const control::Request& r = request_;
    std::string from = r.remote.address.empty() ? "" : fmt::format(" from {}:{}", text::printable(r.remote.address), r.remote.port);
    std::string method = http::is_token(r.method) ? r.method : text::quote(r.method, 20);
    return fmt::format("HTTP {} {}{}", method, text::quote(r.request_target, 80), from);
}

// ---- the request, towards the target ----

void HttpStream::http_request(RelayedHttp&, const control::Request& request) {
    request_ = request;
    opened_ = true;
    if (!finishing_) events_->opened(*this);
}

bool HttpStream::write_head(BodyFraming framing) {
    auto head = request_head(request_, entity_, framing);
    head_written_ = true;
    if (!head) {
        // Nothing at all goes to the target: no head, so no body either.
        refused_ = true;
        held_.clear();
        http_.fail(head.error(), 400, "Bad Request: " + head.error().why);
        return false;
    }
    chunked_ = framing.chunked;
    out_ += *head;
    return true;
}

void HttpStream::http_body(RelayedHttp&, std::string_view piece) {
    if (refused_) return;
    if (!head_written_ && held_.size() + piece.size() <= kHoldBody) {
        held_.append(piece);
        return;
    }
    if (!head_written_) {
        if (!write_head(BodyFraming{std::nullopt, true})) return;
        if (!held_.empty()) append_chunk(out_, held_);
        held_.clear();
    }
    if (chunked_ && !piece.empty()) append_chunk(out_, piece);
    deliver();
}

void HttpStream::http_body_end(RelayedHttp&) {
    if (refused_) return;
    if (!head_written_) {
        BodyFraming f;
        if (!held_.empty() || method_has_body(request_.method)) f.length = held_.size();
        if (!write_head(f)) return;
        out_ += held_;
        held_.clear();
    } else if (chunked_) {
        out_ += "0\r\n\r\n";
    }
    deliver();
}

void HttpStream::deliver() {
    if (read_closed_ || finishing_) {
        out_.clear();
        return;
    }
    if (paused_ || !opened_) {
        // Hold rendezvous body pieces back while the target is full.
        if (!out_.empty()) http_.pause_body(true);
        return;
    }
    if (out_.empty()) return;
    std::string bytes = std::move(out_);
    out_.clear();
    events_->data(*this, bytes);
}

void HttpStream::pause(bool paused) {
    paused_ = paused;
    http_.pause_body(paused);
    if (!paused) deliver();
}

void HttpStream::close_read() {
    read_closed_ = true;
    out_.clear();
}

// ---- the response, from the target ----

void HttpStream::write(std::string_view bytes) {
    if (done_ || response_ended_ || http_.finished()) return;
    if (head_done_) return feed_body(bytes);
    in_.append(bytes);
    parse_head();
}

void HttpStream::parse_head() {
    while (!head_done_ && !done_) {
        ResponseHeadResult r = parse_response_head(in_, ResponseHeadLimits{kMaxResponseHead, 200});
        if (r.state == ResponseHeadResult::State::incomplete) {
            if (in_.size() > kMaxResponseHead) bad_gateway("the response head is over 32 KiB");
            return;
        }
        if (r.state == ResponseHeadResult::State::error) return bad_gateway(r.error);
        std::string rest = in_.substr(r.head.head_size);
        in_.clear();
        int status = r.head.status;
        if (status == 101) return bad_gateway("it switched protocols, which an HTTP relay cannot carry");
        if (status >= 100 && status < 200) {
            in_ = std::move(rest);  // an interim answer (100 Continue): the real one follows
            continue;
        }
        if (std::string why = body_.init_response(r.head.headers, status, text::iequals(request_.method, "HEAD"));
            !why.empty())
            return bad_gateway(why);
        head_done_ = true;
        http_.respond(status, r.head.reason, response_fields(r.head.headers));
        if (body_.done()) {
            response_ended_ = true;
            http_.end();
            return;
        }
        if (!rest.empty()) feed_body(rest);
    }
}

void HttpStream::feed_body(std::string_view bytes) {
    std::string decoded;
    if (body_.feed(bytes, decoded) < 0) return bad_gateway("malformed body: " + body_.error());
    if (!decoded.empty()) http_.write(decoded);
    if (body_.done()) {
        response_ended_ = true;
        http_.end();
    }
}

bool HttpStream::writable() const { return done_ || http_.writable(); }

void HttpStream::close_write() {
    // The target finished sending: the response is complete, or never will be.
    if (done_ || response_ended_ || http_.finished()) return;
    if (!head_done_) {
        return bad_gateway(in_.empty() ? "the target closed the connection without answering"
                                       : "the target closed the connection inside the response head");
    }
    if (body_.end_of_input()) {
        response_ended_ = true;
        http_.end();
        return;
    }
    http_.fail(make_error(Exit::failure, describe(), "the target's response was cut short"), 502, kBadGateway);
}

void HttpStream::bad_gateway(const std::string& why) {
    response_ended_ = true;
    http_.fail(make_error(Exit::failure, describe(), "the target's answer is not a valid HTTP response: " + why), 502,
               kBadGateway);
}

void HttpStream::http_drained(RelayedHttp&) {
    if (!done_ && !finishing_) events_->drained(*this);
}

void HttpStream::http_done(RelayedHttp&, const Status& status) {
    done_ = true;
    if (finishing_) {
        if (finish_done_) {
            auto done = std::move(finish_done_);
            finish_done_ = nullptr;
            done(status);
        }
        return;
    }
    if (!status) {
        events_->failed(*this, status.error());
        return;
    }
    // The response is out: this side has nothing more to take or give.
    events_->write_end(*this);
    if (!finishing_) events_->read_end(*this);
}

void HttpStream::session_failed(const Error& why) {
    if (!done_) http_.fail(why, 502, kUnreachable);
}

void HttpStream::finish(bool clean, std::function<void(Status)> done) {
    finishing_ = true;
    if (done_ || http_.finished()) {
        done({});
        return;
    }
    finish_done_ = std::move(done);
    if (!clean) http_.fail(make_error(Exit::failure, describe(), "the session ended first"), 502, kUnreachable);
    // http_done() follows (deferred) and reports through finish_done_.
}

}  // namespace hyco::pipe
