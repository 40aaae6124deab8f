// WebSocket client over a ClientTransport (see ws_client.h): the upgrade
// request and the answer's checks (ws_handshake.*), framing (ws_frame.*,
// ws_send_queue.*), pings and the Close handshake.
#include "core/ws/ws_client.h"

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/text.h"
#include "core/ws/ws_handshake.h"

namespace hyco {

WsClient::WsClient(EventLoop& loop, Events& events, WsTarget target, WsTimeouts timeouts)
    : events_(events), target_(std::move(target)), timeouts_(timeouts),
      transport_(loop, *this, target_.host, target_.port, target_.tls),
      connect_timer_(loop), ping_timer_(loop), pong_timer_(loop), resume_timer_(loop) {}

WsClient::~WsClient() = default;

std::string WsClient::what() const { return "connect to " + sas::redact_in(target_.url()); }

Error WsClient::connection_error(std::string why) const {
    return make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()), std::move(why));
}

void WsClient::connect() {
    if (phase_ != Phase::idle) return;
    phase_ = Phase::connecting;
    key_ = new_websocket_key();
    connect_timer_.start(timeouts_.connect, [this] {
        if (phase_ == Phase::connecting || phase_ == Phase::upgrading)
            abort(make_error(Exit::timeout, what(),
                             fmt::format("no WebSocket upgrade within {} ms", timeouts_.connect.count())));
    });
    transport_.connect();
}

void WsClient::transport_up() {
    if (phase_ != Phase::connecting) return;
    phase_ = Phase::upgrading;
    transport_.write(upgrade_request(target_, key_));
}

void WsClient::want_write() {
    if (phase_ == Phase::open) transport_.want_write();
}

void WsClient::send(Fragment f) {
    if (queue_.close_queued() || phase_ == Phase::closed) return;
    bool idle = !queue_.pending();
    queue_.push(std::move(f));
    // Nothing waits for WRITEABLE: the frame goes now, sparing a turn of the
    // loop and two epoll changes; what the socket does not take waits.
    if (idle && phase_ == Phase::open) transport_.write_now(queue_, kWriteBatch);
    if (queue_.pending()) want_write();
}

void WsClient::finish(int code, std::string reason) {
    if (queue_.close_queued() || phase_ == Phase::closed) return;
    // Before the upgrade completes this just queues: the Close follows the
    // queued data once the connection is open (input may end that early).
    queue_.close(static_cast<std::uint16_t>(code), reason);
    want_write();
}

void WsClient::abort(std::optional<Error> why) {
    if (phase_ == Phase::closed) return;
    if (why && !abort_reason_) abort_reason_ = std::move(why);
    if (!why) user_abort_ = true;
    if (phase_ == Phase::idle) {
        terminal(abort_reason_);
        return;
    }
    transport_.abort();
}

void WsClient::fail(Error e) {
    if (!abort_reason_) abort_reason_ = std::move(e);
    transport_.end();
}

bool WsClient::reading() const {
    return phase_ != Phase::closed && !endpoint_.over() && transport_.phase() != ClientTransport::Phase::ending;
}

void WsClient::receive(bool on) {
    if (paused_ == !on || phase_ == Phase::closed) return;
    paused_ = !on;
    if (phase_ != Phase::open) return;  // applied when the connection opens
    if (paused_) {
        // A Pong cannot be seen while we do not read: waiting for one now
        // would call a live peer dead because our own consumer is slow.
        pong_timer_.cancel();
        transport_.read(false);
        return;
    }
    // Bytes held back go first, outside the caller's callback.
    if (!rx_stash_.empty()) resume_timer_.start(std::chrono::milliseconds(0), [this] { resume_rx(); });
    else transport_.read(true);
}

void WsClient::resume_rx() {
    if (phase_ != Phase::open || paused_) return;
    std::string held = std::move(rx_stash_);
    rx_stash_.clear();
    feed(held);
    if (!paused_) transport_.read(true);
}

void WsClient::arm_ping() {
    if (timeouts_.ping_interval.count() <= 0) return;
    ping_timer_.start(timeouts_.ping_interval, [this] {
        if (timeouts_.keepalive_frame == KeepaliveFrame::pong) {
            queue_.pong("");
            want_write();
            arm_ping();
            return;
        }
        queue_.ping();
        want_write();
        if (!pong_timer_.pending() && !paused_)
            pong_timer_.start(timeouts_.ping_timeout, [this] {
                abort(connection_error(fmt::format("ping timeout: no answer within {} ms", timeouts_.ping_timeout.count())));
            });
        arm_ping();
    });
}

void WsClient::transport_writable() {
    if (phase_ != Phase::open) return;  // the upgrade request went with transport_up
    bool was_high = queue_.data_bytes() >= kLowWater;
    // Straight from the queue to the socket, as much as it takes.
    if (!transport_.write_from(queue_, kWriteBatch)) return;
    // Both Closes done: hang up once ours is out.
    if (queue_.close_sent() && endpoint_.over()) transport_.end();
    else if (queue_.pending()) transport_.want_write();
    if (was_high && queue_.data_bytes() < kLowWater) events_.ws_drained(*this);
}

void WsClient::on_handshake_rx(std::string_view bytes) {
    head_.append(bytes);
    ResponseHeadResult r = parse_response_head(head_);
    if (r.state == ResponseHeadResult::State::incomplete) return;
    if (r.state == ResponseHeadResult::State::error) {
        fail(make_error(Exit::failure, what(), "malformed answer to the WebSocket upgrade: " + r.error));
        return;
    }
    const HttpResponseHead& head = r.head;
    if (head.status != 101) {
        result_.http_status = head.status;
        result_.http_reason = head.reason;
        result_.http_headers = failure_headers(head);
        std::string detail = fmt::format("HTTP {}", head.status);
        if (!head.reason.empty()) detail += " " + head.reason;
        fail(make_error(Exit::failure, what(), "relay answered " + detail));
        return;
    }
    UpgradeAnswer a = check_upgrade(head, key_, target_.subprotocols);
    if (!a.ok) {
        fail(make_error(Exit::failure, what(), "invalid WebSocket upgrade answer: " + a.error));
        return;
    }
    std::string rest = head_.substr(head.head_size);
    // What only the upgrade needed goes now: an open connection may last for
    // hours among thousands, and the headers hold the token.
    std::string().swap(head_);
    std::string().swap(key_);
    decltype(target_.headers)().swap(target_.headers);
    phase_ = Phase::open;
    result_.established = true;
    subprotocol_ = a.subprotocol;
    connect_timer_.cancel();
    arm_ping();
    if (paused_) transport_.read(false);
    events_.ws_open(*this);
    if (phase_ != Phase::open) return;
    if (queue_.pending()) want_write();
    if (!rest.empty()) feed(rest);
}

void WsClient::transport_rx(std::string_view bytes) {
    pong_timer_.cancel();  // any traffic proves the peer is alive
    if (phase_ == Phase::upgrading) on_handshake_rx(bytes);
    else if (phase_ == Phase::open) feed(bytes);
}

void WsClient::feed(std::string_view bytes) {
    if (!reading()) return;  // nothing may follow the peer's Close
    if (paused_) {
        // More arrived after we paused (e.g. TLS records already
        // decrypted): hold it, bounded by one read.
        rx_stash_.append(bytes);
        return;
    }
    if (!endpoint_.feed(bytes)) return;  // the peer's Close, or a violation
    if (endpoint_.stopped()) {
        endpoint_.resume();
        if (paused_ && reading()) rx_stash_.assign(bytes.substr(endpoint_.consumed()));
    }
}

void WsClient::ws_violation(std::uint16_t, const std::string& why) {
    // Tell the peer why (the endpoint queued our Close with the code), then
    // hang up (RFC 6455 §7.1.7); nothing more is read.
    if (!abort_reason_)
        abort_reason_ = connection_error("the peer broke the WebSocket protocol: " + why);
    if (queue_.close_sent()) transport_.end();
    else want_write();
}

void WsClient::frame_begin(const ws::FrameHeader& h) {
    if (h.opcode != ws::Opcode::continuation) msg_binary_ = h.opcode == ws::Opcode::binary;
    frame_fin_ = h.fin;
    frame_left_ = h.length;
    frame_empty_ = h.length == 0;
}

void WsClient::frame_data(std::string_view payload) {
    frame_left_ -= payload.size();
    events_.ws_data(*this, payload, frame_fin_ && frame_left_ == 0, msg_binary_);
    if (paused_ || !reading()) endpoint_.stop();
}

void WsClient::frame_end() {
    if (frame_empty_) {
        events_.ws_data(*this, {}, frame_fin_, msg_binary_);
        if (paused_ || !reading()) endpoint_.stop();
    }
}

void WsClient::ws_ping(std::string_view) {
    want_write();
}

void WsClient::ws_close(std::uint16_t code, const std::string& reason) {
    result_.code = code;
    result_.reason = reason;
    if (queue_.close_sent()) {
        result_.kind = WsClose::Kind::ours;  // the answer to our Close: done
        transport_.end();
        return;
    }
    result_.kind = WsClose::Kind::peer;
    events_.ws_peer_closed(*this, code, reason);
}

void WsClient::transport_closed(std::optional<Error> failure) {
    // Our own reason (a timeout, a refused upgrade, a violation) says more
    // than what the socket saw after it.
    terminal(abort_reason_ ? abort_reason_ : std::move(failure));
}

void WsClient::terminal(std::optional<Error> failure) {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    connect_timer_.cancel();
    ping_timer_.cancel();
    pong_timer_.cancel();
    resume_timer_.cancel();
    bool peer_closed = endpoint_.over();
    if (failure) {
        result_.kind = WsClose::Kind::failed;
        result_.error = std::move(failure);
    } else if (peer_closed && !queue_.close_sent() && !user_abort_ && result_.kind == WsClose::Kind::peer) {
        // The peer's Close came, but the connection went before ours: what
        // we were still sending after it did not all arrive.
        result_.kind = WsClose::Kind::failed;
        result_.error = connection_error(fmt::format("the connection was lost after the peer's Close ({}{}{}) and before ours",
                                                     result_.code, result_.reason.empty() ? "" : ": ", text::printable(result_.reason)));
    } else if (!peer_closed) {
        result_.kind = user_abort_ ? WsClose::Kind::ours : WsClose::Kind::failed;
        if (!user_abort_)
            result_.error = connection_error(result_.established         ? "the peer vanished without a Close frame"
                                             : transport_.reached_target() ? "the server hung up before answering the WebSocket upgrade"
                                                                           : "closed");
    }
    queue_.clear();
    events_.ws_closed(*this, result_);
}

}  // namespace hyco
