// The relay-http front (see http_front.h). One exchange at a time: the
// request head is parsed with core's parser, rewritten for the relay and
// sent on a fresh upstream connection with the body behind it; the
// response head is parsed, rewritten for the client (framed by
// Content-Length, or chunked) and the body streamed back. Requests the
// client pipelines wait in `in_` until the response before them is done.
#include "tools/hyco-pipe/http_front.h"

#include <fmt/format.h>

#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/http/http_response_head.h"
#include "core/auth/relay_uri.h"
#include "tools/hyco-pipe/http_translate.h"

namespace hyco::pipe {
namespace {

constexpr std::size_t kMaxResponseHead = 32 * 1024;

std::string_view reason_phrase(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 431: return "Request Header Fields Too Large";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 505: return "HTTP Version Not Supported";
        default: return "Error";
    }
}

/// Methods whose requests carry a body even when it is empty: the relay's
/// front ends want a length for them (411 otherwise).
bool expects_length(std::string_view method) {
    for (std::string_view m : {"POST", "PUT", "PATCH"})
        if (text::iequals(method, m)) return true;
    return false;
}

}  // namespace

HttpFront::HttpFront(EventLoop& loop, const PipeConfig& config, const Address& address)
    : loop_(loop), config_(config), address_(address), log_(config.verbose, {}) {
    log_.set_prefix(config.name);
}

HttpFront::~HttpFront() {
    alive_.end();
    drop_upstream();
}

std::string HttpFront::describe() const {
    return fmt::format("{} ({})", address_.text, relay_endpoint(config_.relay->ns, address_.path, Action::http, {}).url());
}

void HttpFront::open(Stream::Events& events) {
    events_ = &events;
    loop_.defer([this, alive = alive_.token()] {
        if (*alive) events_->opened(*this);
    });
}

// ---- the client's side ----

void HttpFront::write(std::string_view bytes) {
    if (ended_) return;
    in_.append(bytes);
    pump();
    if (!writable()) was_full_ = true;
}

bool HttpFront::writable() const {
    if (ended_) return true;
    return in_.size() < kMaxHeld && (!up_ || up_->writable());
}

void HttpFront::maybe_drained() {
    if (!was_full_ || !writable()) return;
    was_full_ = false;
    events_->drained(*this);
}

void HttpFront::pump() {
    if (ended_) return;
    if (!active_) {
        if (close_after_) {
            in_.clear();
            return;
        }
        if (in_.empty()) return;
        http::HeadResult r = http::parse_request_head(in_);
        if (r.state == http::HeadResult::State::incomplete) return;
        if (r.state == http::HeadResult::State::error) {
            close_after_ = true;
            in_.clear();
            active_ = true;
            answer(r.refusal.status, reason_phrase(r.refusal.status), r.refusal.reason);
            return;
        }
        in_.erase(0, r.request.head_size);
        if (!start_exchange(r.request)) return;
    }
    forward_body();
}

bool HttpFront::start_exchange(const http::HttpRequest& req) {
    active_ = true;
    ++requests_;
    method_ = req.method;
    target_ = req.target;
    head_request_ = text::iequals(req.method, "HEAD");
    // HTTP/1.0 keep-alive is a non-standard extension: one request per connection.
    http10_ = req.minor_version == 0;
    close_after_ = http10_ || req.has_token("Connection", "close");
    if (auto refused = req_body_.init(req.headers)) {
        close_after_ = true;
        in_.clear();
        answer(refused->status, reason_phrase(refused->status), refused->reason);
        return false;
    }
    req_done_ = req_body_.done();
    req_chunked_ = req_body_.kind() == http::BodyDecoder::Kind::chunked;
    // The relay does not see the client's Expect: the go-ahead is ours to give
    // once the relay is reached (so that curl does not wait a second before a
    // large upload, nor send one that a 502 would leave unread).
    expect_continue_ = !req_done_ && !http10_ && req.has_token("Expect", "100-continue");

    const Namespace& ns = config_.relay->ns;
    std::string head = fmt::format("{} /{}{} HTTP/1.1\r\nHost: {}\r\n", req.method, encode_entity_path(address_.path),
                                   req.target, ns.authority());
    bool own_token = false;
    for (const auto& [k, v] : http::end_to_end(req.headers)) {
        if (text::iequals(k, "Host") || text::iequals(k, "Expect")) continue;
        if (text::iequals(k, "ServiceBusAuthorization")) own_token = true;
        head += fmt::format("{}: {}\r\n", k, v);
    }
    // A client that brings its own relay token keeps it; the Authorization
    // field belongs to the listener's application and passes untouched.
    if (!own_token)
        if (auto token = config_.relay->credentials.token_for(ns, address_.path, unix_now()))
            head += fmt::format("ServiceBusAuthorization: {}\r\n", *token);
    if (req_chunked_) head += "Transfer-Encoding: chunked\r\n";
    else if (req_body_.kind() == http::BodyDecoder::Kind::length)
        head += fmt::format("Content-Length: {}\r\n", req_body_.length());
    else if (expects_length(req.method))
        head += "Content-Length: 0\r\n";
    head += "Connection: close\r\n\r\n";

    up_ = std::make_unique<Upstream>(loop_, static_cast<Upstream::Events&>(*this),
                                     SocketAddress{ns.host, ns.effective_port(), {}}, ns.tls,
                                     config_.client.timeouts.connect);
    up_->pause(paused_);
    up_->write(head);
    up_->connect();
    return true;
}

void HttpFront::forward_body() {
    while (active_ && !req_done_ && !in_.empty()) {
        if (!up_) {
            in_.clear();  // the answer came first; the rest of the body is dropped with the connection
            return;
        }
        if (!up_->writable()) return;
        std::string decoded;
        std::int64_t n = req_body_.feed(in_, decoded);
        if (n < 0) {
            std::string why = "malformed request body: " + req_body_.error();
            close_after_ = true;
            in_.clear();
            if (resp_head_done_) return fail_mid(make_error(Exit::failure, address_.text, why));
            drop_upstream();
            return answer(400, reason_phrase(400), why);
        }
        in_.erase(0, static_cast<std::size_t>(n));
        if (!decoded.empty()) up_->write(req_chunked_ ? chunk(decoded) : decoded);
        if (req_body_.done()) {
            req_done_ = true;
            if (req_chunked_) up_->write("0\r\n\r\n");
        }
    }
}

void HttpFront::close_write() {
    client_eof_ = true;
    if (ended_) return end_writing();
    if (active_ && req_done_) {
        // The client has said all it will: answer this request, then close.
        close_after_ = true;
        return end_writing();
    }
    if (active_ && resp_head_done_)
        return fail_mid(make_error(Exit::failure, address_.text, "the client closed inside its request body"));
    end_reading();
}

void HttpFront::close_read() {
    read_closed_ = true;
    out_.clear();
}

void HttpFront::pause(bool paused) {
    paused_ = paused;
    if (up_) up_->pause(paused);
    if (paused) return;
    if (!out_.empty()) {
        std::string bytes = std::move(out_);
        out_.clear();
        if (!read_closed_) events_->data(*this, bytes);
    }
    if (end_pending_) {
        end_pending_ = false;
        events_->read_end(*this);
    }
}

void HttpFront::emit(std::string bytes) {
    if (read_closed_ || bytes.empty()) return;
    if (paused_) {
        out_ += bytes;
        return;
    }
    events_->data(*this, bytes);
}

// ---- the relay's side ----

void HttpFront::upstream_open() {
    if (expect_continue_ && !resp_head_done_) emit("HTTP/1.1 100 Continue\r\n\r\n");
    expect_continue_ = false;
    forward_body();
    maybe_drained();
}

void HttpFront::upstream_drained() {
    forward_body();
    maybe_drained();
}

void HttpFront::upstream_data(std::string_view plain) {
    if (!active_ || ended_) return;
    if (resp_head_done_) return feed_response(plain);
    resp_in_.append(plain);
    parse_response();
}

void HttpFront::parse_response() {
    while (!resp_head_done_ && active_) {
        ResponseHeadResult r = parse_response_head(resp_in_, ResponseHeadLimits{kMaxResponseHead, 200});
        if (r.state == ResponseHeadResult::State::incomplete) {
            if (resp_in_.size() > kMaxResponseHead) bad_gateway("the response head is over 32 KiB");
            return;
        }
        if (r.state == ResponseHeadResult::State::error) return bad_gateway(r.error);
        std::string rest = resp_in_.substr(r.head.head_size);
        resp_in_.clear();
        int status = r.head.status;
        if (status == 101) return bad_gateway("it switched protocols");
        if (status < 200) {
            resp_in_ = std::move(rest);  // interim (100 Continue): the client had ours
            continue;
        }
        if (std::string why = resp_body_.init_response(r.head.headers, status, head_request_); !why.empty())
            return bad_gateway(why);
        resp_head_done_ = true;
        log_.info(fmt::format("{}: {} {} -> {}", address_.text, text::printable(method_), text::quote(target_, 80),
                              status));
        std::string head = fmt::format("HTTP/1.1 {} {}\r\n", status, r.head.reason);
        for (const auto& [k, v] : http::end_to_end(r.head.headers)) head += fmt::format("{}: {}\r\n", k, v);
        switch (resp_body_.kind()) {
            case http::BodyDecoder::Kind::length:
                head += fmt::format("Content-Length: {}\r\n", resp_body_.length());
                break;
            case http::BodyDecoder::Kind::chunked:
            case http::BodyDecoder::Kind::until_close:
                if (http10_) close_after_ = true;  // an HTTP/1.0 client reads up to the close
                else {
                    resp_chunked_ = true;
                    head += "Transfer-Encoding: chunked\r\n";
                }
                break;
            case http::BodyDecoder::Kind::none:
                // HEAD and 304 answers describe the body they do not carry.
                if (const std::string* cl = r.head.header("Content-Length"))
                    head += fmt::format("Content-Length: {}\r\n", *cl);
                break;
        }
        if (close_after_) head += "Connection: close\r\n";
        emit(head + "\r\n");
        if (resp_body_.done()) return response_done();
        if (!rest.empty()) feed_response(rest);
    }
}

void HttpFront::feed_response(std::string_view bytes) {
    std::string decoded;
    if (resp_body_.feed(bytes, decoded) < 0)
        return fail_mid(make_error(Exit::failure, address_.text, "the relay's response body is malformed: " + resp_body_.error()));
    if (!decoded.empty()) emit(resp_chunked_ ? chunk(decoded) : std::move(decoded));
    if (resp_body_.done()) {
        if (resp_chunked_) emit("0\r\n\r\n");
        response_done();
    }
}

void HttpFront::upstream_end() {
    if (!active_ || ended_) return;
    if (!resp_head_done_)
        return upstream_failed(make_error(Exit::failure, "", "the relay closed the connection without answering"));
    if (resp_body_.end_of_input()) {
        if (resp_chunked_) emit("0\r\n\r\n");
        return response_done();
    }
    fail_mid(make_error(Exit::failure, address_.text, "the relay's response was cut short"));
}

void HttpFront::upstream_failed(const Error& why) {
    if (!active_ || ended_) return;
    if (resp_head_done_) return fail_mid(why);
    // Said on stderr too: the client may be a program that shows no body.
    log_.warn(fmt::format("{}: {} {}: {}", address_.text, text::printable(method_), text::quote(target_, 80),
                          why.message()));
    drop_upstream();
    close_after_ = true;
    answer(502, reason_phrase(502), "hyco-pipe " + address_.text + ": " + why.message());
}

void HttpFront::bad_gateway(const std::string& why) {
    upstream_failed(make_error(Exit::failure, "", "the relay's answer is not valid HTTP: " + why));
}

// ---- ending exchanges and the connection ----

void HttpFront::answer(int status, std::string_view reason, const std::string& line) {
    std::string body = text::printable(line) + "\n";
    emit(fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{}\r\n{}",
                     status, reason, body.size(), close_after_ ? "Connection: close\r\n" : "", body));
    response_done();
}

void HttpFront::response_done() {
    drop_upstream();
    // An answer that came before the whole request body leaves the rest unread.
    if (!req_done_) close_after_ = true;
    active_ = false;
    req_body_ = {};
    resp_body_ = {};
    req_done_ = resp_head_done_ = resp_chunked_ = expect_continue_ = false;
    resp_in_.clear();
    if (close_after_ || client_eof_) return end_reading();
    pump();
    maybe_drained();
}

void HttpFront::end_reading() {
    if (ended_) return;
    ended_ = true;
    in_.clear();
    drop_upstream();
    // Nothing more is read either: waiting for the client to close first
    // would leave a session open on a client that never does.
    end_writing();
    loop_.defer([this, alive = alive_.token()] {
        if (!*alive) return;
        if (paused_ && !out_.empty()) end_pending_ = true;
        else events_->read_end(*this);
    });
}

void HttpFront::end_writing() {
    if (write_ended_) return;
    write_ended_ = true;
    loop_.defer([this, alive = alive_.token()] {
        if (*alive) events_->write_end(*this);
    });
}

void HttpFront::fail_mid(const Error& why) {
    if (ended_) return;
    ended_ = true;
    in_.clear();
    drop_upstream();
    loop_.defer([this, alive = alive_.token(), why] {
        if (*alive) events_->failed(*this, why);
    });
}

void HttpFront::drop_upstream() {
    if (!up_) return;
    up_->silence();
    // Possibly inside one of its callbacks: freed on the next turn.
    std::shared_ptr<Upstream> gone(std::move(up_));
    loop_.defer([gone] {});
}

void HttpFront::finish(bool clean, std::function<void(Status)> done) {
    (void)clean;
    ended_ = true;
    drop_upstream();
    done({});
}

std::unique_ptr<Stream> make_relay_http_endpoint(EventLoop& loop, const PipeConfig& config, const Address& a) {
    return std::make_unique<HttpFront>(loop, config, a);
}

}  // namespace hyco::pipe
