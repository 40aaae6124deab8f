// The HTTP exchange state machine: body → (control channel | rendezvous) →
// response head → streamed body (chunked) → keep-alive or close. A 504 timer
// runs from the dispatch until the response head arrives. Only rendezvous
// reached from a pointer (or reused) carry later requests: one the listener
// opened to upgrade its response is not read for requests by node and is
// closed by .NET, so that case still ends the sender's connection.
#include "tools/hyco-relay/http_exchange.h"

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/text.h"
#include "tools/hyco-relay/listener_channel.h"
#include "tools/hyco-relay/http_headers.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"

namespace hyco::relay {

HttpExchange::HttpExchange(Conn& sender, HttpRequest request, control::Request message, std::string entity,
                           std::uint64_t listener, std::uint64_t rendezvous)
    : conn_(sender), relay_(sender.relay), request_(std::move(request)), message_(std::move(message)),
      entity_(std::move(entity)), listener_(listener), rendezvous_(rendezvous),
      timer_(std::make_unique<Timer>(sender.relay.loop())) {
    keep_alive_ = request_.minor_version >= 1 ? !request_.has_token("Connection", "close")
                                              : request_.has_token("Connection", "keep-alive");
    conn_.relay.registry().add_exchange(message_.id, this);
}

HttpExchange::~HttpExchange() { relay_.registry().remove_exchange(message_.id); }

Conn* HttpExchange::channel() const {
    Conn* c = conn_.relay.find(listener_);
    return c && !c->closing() ? c : nullptr;
}

void HttpExchange::start(http::BodyDecoder body) {
    body_ = std::move(body);
    if (auto* e = request_.header("Expect"); e && text::iequals(*e, "100-continue"))
        conn_.write("HTTP/1.1 100 Continue\r\n\r\n");
    if (rendezvous_) {
        Conn* rv = conn_.relay.find(rendezvous_);
        if (!rv || rv->closing()) {
            fail(502, "BadGateway: the listener closed the rendezvous before the request could be delivered.");
            return;
        }
        conn_.relay.verbose(fmt::format("{}: {} {} over the kept {}", conn_.label, request_.method,
                                        message_.request_target, rv->label));
        reusable_ = true;
        arm_response_timer();
        begin_on_rendezvous(*rv);
        return;
    }
    if (body_.kind() == http::BodyDecoder::Kind::length && request_.head_size + body_.length() > kControlChannelLimit) {
        send_pointer();
        return;
    }
    // A small body is read whole before anything goes to the listener; a
    // sender that announces one and never sends it must not be held for ever.
    auto t = conn_.relay.config().http_timeout;
    timer_->start(t, [this, t] {
        fail(408, fmt::format("RequestTimeout: the request body did not arrive within {} ms.", t.count()));
    });
    read_body();
}

void HttpExchange::on_input(Conn&) { read_body(); }

void HttpExchange::read_body() {
    if (phase_ != Phase::body && phase_ != Phase::streaming) {
        if (!conn_.in.empty()) conn_.pause_rx(true);  // pipelined: wait for our turn
        return;
    }
    std::string out;
    if (body_.drain(conn_.in, out) < 0) {
        fail(400, "BadRequest: " + body_.error());
        return;
    }
    if (phase_ == Phase::streaming) {
        send_fragment(std::move(out), body_.done());
        if (body_.done()) {
            phase_ = Phase::awaiting_response;
            if (!conn_.in.empty()) conn_.pause_rx(true);
        }
        return;
    }
    buffer_ += out;
    if (request_.head_size + buffer_.size() > kControlChannelLimit) send_pointer();
    else if (body_.done()) send_small();
}

void HttpExchange::send_small() {
    ListenerChannel* ch = channel() ? channel()->role<ListenerChannel>() : nullptr;
    if (!ch) {
        fail(502, "BadGateway: the listener went away before the request could be delivered.");
        return;
    }
    if (ch->backed_up()) {
        // Chosen when it had room; the bodies of requests read meanwhile filled it.
        fail(503, "ServerBusy: the listener is not reading its control channel; retry later.");
        return;
    }
    message_.has_body_field = true;
    message_.body = !buffer_.empty();
    ch->track(message_.id);
    ch->send(message_, message_.body ? &buffer_ : nullptr);
    buffer_.clear();
    buffer_.shrink_to_fit();
    phase_ = Phase::awaiting_response;
    if (!conn_.in.empty()) conn_.pause_rx(true);
    arm_response_timer();
}

void HttpExchange::arm_response_timer() {
    auto t = conn_.relay.config().http_timeout;
    timer_->start(t, [this, t] {
        fail(504, fmt::format("GatewayTimeout: The request was routed to the listener but the listener did not "
                              "respond in the required time ({} ms).",
                              t.count()));
    });
}

void HttpExchange::send_pointer() {
    ListenerChannel* ch = channel() ? channel()->role<ListenerChannel>() : nullptr;
    if (!ch) {
        fail(502, "BadGateway: the listener went away before the request could be delivered.");
        return;
    }
    pointer_ = true;
    control::Request pointer;
    pointer.address = message_.address;
    pointer.id = message_.id;
    ch->send(pointer);
    phase_ = Phase::awaiting_rendezvous;
    conn_.pause_rx(true);
    auto t = conn_.relay.config().http_timeout;
    timer_->start(t, [this, t] {
        fail(504, fmt::format("GatewayTimeout: the listener did not open the rendezvous or respond within {} ms.",
                              t.count()));
    });
}

bool HttpExchange::on_rendezvous(Conn& rv) {
    if (rendezvous_ || phase_ == Phase::done) return false;
    rendezvous_ = rv.id;
    if (phase_ != Phase::awaiting_rendezvous) {
        keep_alive_ = false;  // the listener upgrades its response: that socket carries no requests
        return true;
    }
    reusable_ = true;
    begin_on_rendezvous(rv);
    return true;
}

void HttpExchange::begin_on_rendezvous(Conn& rv) {
    control::Request full = message_;
    full.has_body_field = true;
    // A reused rendezvous also carries body-less requests (a GET after a large POST).
    bool empty =
        body_.kind() == http::BodyDecoder::Kind::none || (body_.kind() == http::BodyDecoder::Kind::length && body_.length() == 0);
    full.body = pointer_ || !empty;
    std::string text = control::serialize(full);
    if (conn_.relay.is_verbose()) conn_.relay.verbose(fmt::format("{}: -> {}", rv.label, sas::redact_in(text)));
    rv.ws_frame(ws::Opcode::text, true, std::move(text));
    if (!full.body) {
        phase_ = Phase::awaiting_response;
        if (!conn_.in.empty()) conn_.pause_rx(true);
        return;
    }
    phase_ = Phase::streaming;
    send_fragment(std::move(buffer_), body_.done());
    buffer_.clear();
    if (body_.done()) {
        phase_ = Phase::awaiting_response;
    } else {
        conn_.pause_rx(false);
        conn_.relay.kick(conn_);
    }
}

void HttpExchange::send_fragment(std::string data, bool fin) {
    Conn* rv = conn_.relay.find(rendezvous_);
    if (!rv) return;
    if (data.empty() && !fin) return;
    // One binary message in fragments: binary first, continuations after.
    rv->ws_frame(fragments_sent_ ? ws::Opcode::continuation : ws::Opcode::binary, fin, std::move(data));
    fragments_sent_ = true;
    rv->throttle(conn_);
}

void HttpExchange::on_response(const control::Response& r, Conn& channel) {
    if (phase_ == Phase::response_body || phase_ == Phase::done) {
        conn_.relay.verbose(fmt::format("{}: ignoring a second response", conn_.label));
        return;
    }
    if (r.status_code < 200 || r.status_code > 599) {
        // An interim or out-of-range status cannot end an HTTP exchange: the
        // sender would wait for the final answer for ever (docs/protocol.md §6.3).
        fail(502, fmt::format("BadGateway: the listener answered with status {}, which is not a final HTTP status.",
                              r.status_code));
        return;
    }
    timer_->cancel();
    bool head = request_.method == "HEAD";
    no_body_ = head || r.status_code == 204 || r.status_code == 304 || r.status_code < 200;
    std::string framing;
    if (r.body && !no_body_) {
        if (request_.minor_version >= 1) {
            framing = "Transfer-Encoding: chunked\r\n";
            chunked_ = true;
        } else {
            keep_alive_ = false;  // HTTP/1.0: the body ends when the connection does
        }
    } else if (!no_body_) {
        framing = "Content-Length: 0\r\n";
    }
    if (!body_.done()) keep_alive_ = false;
    if (!keep_alive_) framing += "Connection: close\r\n";
    conn_.write(sender_response_head(r.status_code, r.status_description, r.response_headers,
                                     conn_.relay.config().ns.host, head, framing));
    conn_.relay.verbose(fmt::format("{}: {} {} -> {}", conn_.label, request_.method,
                                    message_.request_target, r.status_code));
    if (r.body) {
        phase_ = Phase::response_body;
        (void)channel;
    } else {
        complete();
    }
}

void HttpExchange::on_body_data(std::string_view data, Conn& channel) {
    if (phase_ != Phase::response_body || no_body_ || data.empty()) return;
    response_bytes_ += data.size();
    if (chunked_) {
        // One piece for the size line, the data and its CRLF: written apart,
        // each went out in its own sendmsg (three per piece of body).
        std::string chunk = fmt::format("{:x}\r\n", data.size());
        chunk.reserve(chunk.size() + data.size() + 2);
        chunk.append(data).append("\r\n");
        conn_.write_owned(std::move(chunk));
    } else {
        conn_.write(data);
    }
    // A rendezvous serves this sender alone: pause it while the sender is
    // behind. The control channel serves every sender of the listener and
    // is never paused for one; a response there is at most 64 KiB, and this
    // sender is not read further until it has caught up (complete()).
    if (channel.role<ListenerChannel>()) conn_.throttle(conn_);
    else conn_.throttle(channel);
}

void HttpExchange::on_body_end() {
    if (phase_ != Phase::response_body) return;
    if (chunked_) conn_.write("0\r\n\r\n");
    complete();
}

void HttpExchange::on_channel_lost(std::uint64_t ch) {
    if (phase_ == Phase::done || (ch != listener_ && ch != rendezvous_)) return;
    if (phase_ == Phase::response_body) {
        // Mid-body: closing without the last chunk tells the sender it is cut short.
        release();
        conn_.finish();
        return;
    }
    if (ch == listener_ && rendezvous_ && phase_ != Phase::awaiting_rendezvous) return;  // rendezvous carries on
    fail(502, "BadGateway: the listener went away before it responded.");
}

void HttpExchange::release(bool keep_rendezvous) {
    phase_ = Phase::done;
    timer_->cancel();
    conn_.relay.registry().remove_exchange(message_.id);
    if (Conn* c = conn_.relay.find(listener_))
        if (auto* ch = c->role<ListenerChannel>()) ch->untrack(message_.id);
    if (Conn* rv = conn_.relay.find(rendezvous_)) {
        if (keep_rendezvous) {
            conn_.relay.registry().keep_rendezvous(conn_.id, {rv->id, listener_, entity_});
            return;
        }
        rv->ws_close(ws::close_code::normal, "");
        rv->finish();
    }
}

void HttpExchange::fail(int status, const std::string& reason) {
    if (phase_ == Phase::done) return;
    bool started = phase_ == Phase::response_body;
    release();
    conn_.relay.verbose(fmt::format("{}: {} {}", conn_.label, status, reason));
    if (!started) conn_.write(error_response(status, reason, request_.method == "HEAD"));
    conn_.finish();
}

void HttpExchange::complete() {
    Conn* rv = conn_.relay.find(rendezvous_);
    bool rv_open = rv && !rv->closing();
    // The listener closed a request-carrying rendezvous: the service drops
    // the sender's connection after this response (docs/protocol.md §3.7).
    if (reusable_ && !rv_open) keep_alive_ = false;
    release(reusable_ && rv_open && keep_alive_ && !conn_.closing());
    if (!keep_alive_ || conn_.closing()) {
        conn_.finish();
        return;
    }
    conn_.relay.read_next_request(conn_);  // the next request on this connection
    if (conn_.over_high_water()) {
        // Pipelined requests wait until the sender has read its answers.
        conn_.throttle(conn_);
        return;
    }
    conn_.pause_rx(false);
    conn_.relay.kick(conn_);
}

void HttpExchange::on_closed(Conn&) {
    if (phase_ == Phase::done) return;
    release();
}

}  // namespace hyco::relay
