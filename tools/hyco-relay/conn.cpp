// Connection transport. Writes go at most 256 KiB at a time: straight from
// the queue to the socket (sendmsg) for plain TCP, at once when nothing waits
// for WRITEABLE, and one lws_write per WRITEABLE with TLS. A full queue pauses
// whoever feeds it, so memory per bridged connection stays bounded by the
// water marks plus one read.
#include "tools/hyco-relay/conn.h"

#include <sys/socket.h>

#include "tools/hyco-relay/context.h"

namespace hyco::relay {

namespace {
constexpr std::size_t kMaxWrite = 256 * 1024;
}

Conn::Conn(Context& r, lws* w, std::uint64_t i) : relay(r), wsi(w), id(i) {}

Conn::~Conn() = default;

int Conn::on_lws(lws*, lws_callback_reasons reason, void* data, std::size_t len) {
    return relay.on_conn_event(*this, reason, data, len);
}

void Conn::want_write() {
    if (aborted_ || closed_) return;
    if (!write_wanted_ && !finishing_ && !lws_is_ssl(wsi)) {
        // Nothing waits for WRITEABLE: write now, as on_writable would. A
        // plain socket nearly always takes it, and a WRITEABLE round trip
        // costs two epoll changes and a turn of the loop per frame. A
        // failure is left for on_writable to meet again and close on.
        std::ptrdiff_t w = out_.send(lws_get_socket_fd(wsi), kMaxWrite);
        if (w > 0) bytes_out += static_cast<std::size_t>(w);
        if (w >= 0 && !out_.pending()) return;
    }
    request_writable();
}

void Conn::request_writable() {
    write_wanted_ = true;
    lws_callback_on_writable(wsi);
}

void Conn::write(std::string_view bytes) { write_owned(std::string(bytes)); }

void Conn::write_owned(std::string bytes) {
    if (aborted_) return;
    out_.raw(std::move(bytes));
    want_write();
}

void Conn::on_received(const char* data, std::size_t len) {
    // lws 4.1.6 arms PENDING_TIMEOUT_ESTABLISH_WITH_SERVER (context
    // timeout_secs) when a TLS accept completes (lib/tls/tls-server.c) and
    // only its http/ws roles clear it once a request is parsed; in the raw
    // role nothing does, so every wss:// connection was cut after it. The
    // first bytes mean the handshake is over and a HeadReader (with its own
    // head timeout) owns the connection. Never after abort(), whose kill
    // uses the same lws timeout.
    if (!lws_timeout_cleared_ && !aborted_) {
        lws_timeout_cleared_ = true;
        lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
    }
    in.append(data, len);
    bytes_in += len;
}

void Conn::finish() {
    if (closing()) return;
    finishing_ = true;
    pause_rx(false);  // keep reading (and discarding) until the peer closes
    request_writable();
}

void Conn::abort() {
    if (aborted_ || closed_) return;
    aborted_ = true;
    EventLoop::kill(wsi);
}

void Conn::ws_begin(ws::Opcode op, bool fin, std::uint64_t length) {
    out_.begin(op, fin, length);
    // A payload follows through ws_data: header and payload go out together.
    if (length == 0) want_write();
}

void Conn::ws_data(std::string_view payload) {
    out_.data(payload);
    want_write();
}

void Conn::ws_frame(ws::Opcode op, bool fin, std::string payload) {
    out_.push(op, fin, std::move(payload));
    want_write();
}

void Conn::ws_close(std::uint16_t code, std::string_view reason) {
    out_.close(code, reason);
    want_write();
}

void Conn::throttle(Conn& source) {
    // `source` may be this connection: a peer whose Pings we answer faster
    // than it reads is paused like any other producer.
    if (!over_high_water()) return;
    source.pause_rx(true);
    for (std::uint64_t s : throttled_)
        if (s == source.id) return;
    throttled_.push_back(source.id);
}

void Conn::pause_rx(bool paused) {
    if (paused == rx_paused_ || closed_) return;
    rx_paused_ = paused;
    EventLoop::flow(wsi, !paused);
}

void Conn::set_handler(std::unique_ptr<Handler> h) {
    if (handler_) relay.retire(std::move(handler_));
    handler_ = std::move(h);
}

void Conn::dispatch() {
    if (finishing_) {
        in.clear();  // nothing more is read from a connection being closed
        return;
    }
    for (int guard = 0; guard < 16 && !closed_ && !aborted_; ++guard) {
        Handler* h = handler_.get();
        if (!h) return;
        h->on_input(*this);
        if (handler_.get() == h) return;
    }
}

int Conn::on_writable(std::string& scratch) {
    write_wanted_ = false;
    if (aborted_) return -1;
    if (!out_.pending()) {
        // Everything that can go is written (lws drained its own buffer
        // before this callback); a frame whose partner vanished halfway
        // never completes, so a finishing connection does not wait for it.
        if (finishing_ && !shut_wr_) {
            // Send FIN, then wait for the peer's.
            shut_wr_ = true;
            ::shutdown(lws_get_socket_fd(wsi), SHUT_WR);
            linger_ = std::make_unique<Timer>(relay.loop());
            linger_->start(kLinger, [this] { abort(); });
        }
        return 0;
    }
    std::size_t n = 0;
    if (!lws_is_ssl(wsi)) {
        // Plain TCP: straight from the queue to the socket, as much as it
        // takes (no copy into scratch, none into lws's buffer for the rest).
        std::ptrdiff_t w = out_.send(lws_get_socket_fd(wsi), kMaxWrite);
        if (w < 0) return -1;
        n = static_cast<std::size_t>(w);
    } else {
        scratch.resize(LWS_PRE);
        n = out_.fill(scratch, kMaxWrite);
        // lws keeps any part the kernel did not take and sends it before the
        // next WRITEABLE, so the whole chunk counts as written.
        if (lws_write(wsi, reinterpret_cast<unsigned char*>(&scratch[LWS_PRE]), n, LWS_WRITE_RAW) < 0) return -1;
    }
    bytes_out += n;
    if (out_.bytes() <= kLowWater) {
        std::vector<std::uint64_t> waiting;
        waiting.swap(throttled_);
        for (std::uint64_t s : waiting)
            if (Conn* c = relay.find(s)) {
                c->pause_rx(false);
                relay.kick(*c);
            }
    }
    if (out_.pending() || finishing_) request_writable();
    return 0;
}

void Conn::on_closed() {
    if (closed_) return;
    closed_ = true;
    if (handler_) handler_->on_closed(*this);
    for (std::uint64_t s : throttled_)
        if (Conn* c = relay.find(s)) c->pause_rx(false);
    throttled_.clear();
}

}  // namespace hyco::relay
