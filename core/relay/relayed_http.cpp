// One relayed HTTP exchange, listener side (see relayed_http.h).
#include "core/relay/relayed_http.h"

#include <fmt/format.h>

#include "core/base/duration.h"
#include "core/base/text.h"

namespace hyco {

RelayedHttp::RelayedHttp(EventLoop& loop, Events& events, control::Request request, std::string body,
                         ChannelSend channel, WsTimeouts timeouts, std::chrono::milliseconds deadline)
    : loop_(loop), events_(events), request_(std::move(request)), channel_body_(std::move(body)),
      channel_(std::move(channel)), timeouts_(timeouts), deadline_(deadline), via_rendezvous_(request_.is_pointer()),
      buffer_timer_(loop), deadline_timer_(loop) {
    // The rendezvous is ours to use: no keep-alive traffic on it.
    timeouts_.ping_interval = std::chrono::milliseconds(0);
}

RelayedHttp::~RelayedHttp() {
    alive_.end();
    ws_.reset();
}

void RelayedHttp::start() {
    deadline_timer_.start(deadline_, [this] {
        if (response_ || done_) return;
        Error why = make_error(Exit::timeout, "HTTP request",
                               fmt::format("the target gave no response within {}", format_duration(
                                   std::chrono::duration_cast<std::chrono::seconds>(deadline_))));
        if (ws_) ws_->abort(why);
        complete(why);
    });
    loop_.defer([this, alive = alive_.token()] {
        if (!*alive || done_) return;
        if (via_rendezvous_) return connect_rendezvous();
        events_.http_request(*this, request_);
        if (done_) return;
        if (!channel_body_.empty()) {
            std::string body = std::move(channel_body_);
            events_.http_body(*this, body);
        }
        if (!done_) events_.http_body_end(*this);
    });
}

void RelayedHttp::pause_body(bool paused) {
    // Once the response is complete, reading goes on whatever the consumer
    // wants: the relay's answer to our Close must be seen.
    if (ws_ && via_rendezvous_ && !done_ && !ended_) ws_->receive(!paused);
}

void RelayedHttp::connect_rendezvous() {
    auto target = parse_ws_url(request_.address);
    if (!target) {
        complete(make_error(Exit::failure, "HTTP rendezvous", "bad address: " + target.error().why));
        return;
    }
    WsClient::Events& self = *this;
    ws_ = std::make_unique<WsClient>(loop_, self, std::move(*target), timeouts_);
    ws_->connect();
}

control::Response RelayedHttp::response_message(bool body) const {
    control::Response r = *response_;
    r.body = body;
    return r;
}

void RelayedHttp::respond(int status, std::string description, control::Headers headers) {
    if (response_ || done_) return;
    control::Response r;
    r.request_id = request_.id;
    r.status_code = status;
    r.status_description = std::move(description);
    r.response_headers = std::move(headers);
    response_ = std::move(r);
    deadline_timer_.cancel();
    json_size_ = control::serialize(response_message(true)).size();
    // Over the limit before the first body byte: only the rendezvous can carry it.
    if (!via_rendezvous_ && json_size_ > kChannelLimit) go_streaming();
}

void RelayedHttp::write(std::string_view body) {
    if (!response_ || ended_ || done_ || body.empty()) return;
    if (streaming_ && head_sent_) {
        ws_->send(Fragment{std::string(body), true, !fragment_sent_, false});
        fragment_sent_ = true;
        return;
    }
    buffer_.append(body);
    if (streaming_) return;  // the rendezvous is opening; writable() bounds the buffer
    if (!via_rendezvous_ && json_size_ + buffer_.size() > kChannelLimit) return go_streaming();
    if (via_rendezvous_ && buffer_.size() > kChannelLimit) return go_streaming();
    // Small so far: wait for the end, but not so long that a slow response
    // stalls; then stream what there is (as .NET does after 2 s).
    if (!buffer_timer_.pending()) buffer_timer_.start(kBufferTime, [this] { go_streaming(); });
}

bool RelayedHttp::writable() const {
    if (done_) return true;
    if (streaming_ && head_sent_) return ws_->writable();
    return buffer_.size() < WsClient::kHighWater;
}

void RelayedHttp::go_streaming() {
    if (streaming_ || done_) return;
    streaming_ = true;
    buffer_timer_.cancel();
    if (ws_ && ws_->is_open()) send_head_on_rendezvous();
    else if (!ws_) connect_rendezvous();
}

void RelayedHttp::send_head_on_rendezvous() {
    ws_->send_text(control::serialize(response_message(true)));
    head_sent_ = true;
    if (!buffer_.empty()) {
        ws_->send(Fragment{std::move(buffer_), true, true, false});
        buffer_.clear();
        fragment_sent_ = true;
    }
    if (ended_) flush_end();
    else if (ws_->writable()) events_.http_drained(*this);
}

void RelayedHttp::flush_end() {
    // The body is one binary message: it ends with an empty final fragment.
    ws_->send(Fragment{std::string(), true, !fragment_sent_, true});
    fragment_sent_ = true;
    close_rendezvous();
}

void RelayedHttp::close_rendezvous() {
    ws_->finish(1000);
    ws_->receive(true);  // a paused request body must not hide the relay's Close
}

void RelayedHttp::end() {
    if (!response_ || ended_ || done_) return;
    ended_ = true;
    buffer_timer_.cancel();
    if (streaming_) {
        if (head_sent_) flush_end();
        return;  // send_head_on_rendezvous() finishes once the rendezvous is open
    }
    bool body = !buffer_.empty();
    if (via_rendezvous_) {
        ws_->send_text(control::serialize(response_message(body)));
        head_sent_ = true;
        if (body) ws_->send(Fragment{std::move(buffer_), true, true, true});
        buffer_.clear();
        close_rendezvous();
        return;
    }
    if (channel_ && channel_(response_message(body), body ? &buffer_ : nullptr)) {
        buffer_.clear();
        complete({});
        return;
    }
    go_streaming();  // the control channel went away: the rendezvous still works
}

void RelayedHttp::answer(int status, std::string description) {
    respond(status, std::move(description), {});
    end();
}

void RelayedHttp::abort(const Error& why) {
    if (done_) return;
    if (ws_) ws_->abort(why);
    complete(why);
}

void RelayedHttp::fail(const Error& why, int status, std::string description) {
    // A complete answer (ours or the target's) is on its way: let it go out.
    if (done_ || ended_) return;
    if (head_sent_) return abort(why);
    failure_ = why;
    buffer_.clear();
    response_.reset();
    respond(status, std::move(description), {});
    end();
}

void RelayedHttp::ws_open(WsClient&) {
    if (done_) return;
    if (!via_rendezvous_) send_head_on_rendezvous();
    // Pointer form: the relay speaks first, with the request.
}

void RelayedHttp::ws_data(WsClient&, std::string_view piece, bool final, bool binary) {
    if (done_ || ended_) return;  // after the response, the rest of a request body is not wanted
    if (body_open_) {
        if (!binary) return;
        if (!piece.empty()) events_.http_body(*this, piece);
        if (final && !done_) {
            body_open_ = false;
            events_.http_body_end(*this);
        }
        return;
    }
    if (request_seen_ || binary) return;  // later requests: we close after this response
    // The request message is small (the relay caps it); gather it whole.
    request_text_.append(piece);
    if (request_text_.size() > control::kMaxMessageSize) {
        abort(make_error(Exit::failure, "HTTP rendezvous", "request message over 64 KiB"));
        return;
    }
    if (!final) return;
    auto msg = control::parse(request_text_);
    request_text_.clear();
    const control::Request* r = msg ? std::get_if<control::Request>(&*msg) : nullptr;
    if (!r || r->is_pointer()) {
        abort(make_error(Exit::failure, "HTTP rendezvous",
                         msg ? "the first message is not a request" : msg.error().message()));
        return;
    }
    request_ = *r;
    request_seen_ = true;
    body_open_ = request_.body;
    events_.http_request(*this, request_);
    if (!body_open_ && !done_) events_.http_body_end(*this);
}

void RelayedHttp::ws_drained(WsClient&) {
    if (!done_ && streaming_ && head_sent_ && !ended_) events_.http_drained(*this);
}

void RelayedHttp::ws_peer_closed(WsClient& ws, int code, const std::string& reason) {
    if (!done_ && !ended_)
        complete(make_error(Exit::failure, "HTTP rendezvous",
                            fmt::format("the relay closed it ({}{}{}) before the response was complete", code,
                                        reason.empty() ? "" : ": ", text::printable(reason))));
    ws.finish(code == 1005 ? 1000 : code);
}

void RelayedHttp::ws_closed(WsClient&, const WsClose& close) {
    if (done_) return;
    if (close.kind == WsClose::Kind::failed) {
        Error e = close.error ? *close.error : make_error(Exit::failure, "HTTP rendezvous", "connection failed");
        if (!close.established && close.http_status)
            e = make_error(Exit::failure, "HTTP rendezvous",
                           fmt::format("refused with {} {}", close.http_status, text::printable(close.http_reason)));
        complete(e);
        return;
    }
    if (ended_ && head_sent_) complete({});
    else complete(make_error(Exit::failure, "HTTP rendezvous", "closed before the response was complete"));
}

void RelayedHttp::complete(const Status& outcome) {
    if (done_) return;
    done_ = true;
    deadline_timer_.cancel();
    Status status = outcome && failure_ ? Status(*failure_) : outcome;
    buffer_timer_.cancel();
    loop_.defer([this, alive = alive_.token(), status] {
        if (*alive) events_.http_done(*this, status);
    });
}

}  // namespace hyco
