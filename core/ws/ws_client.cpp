// WebSocket client over an lws raw socket (see ws_client.h). lws connects
// (TCP, TLS with the context's trust store) and carries bytes; the upgrade
// request, the answer's checks (ws_handshake.*), framing (ws_frame.*,
// ws_send_queue.*), pings and the Close handshake are done here.
#include "core/base/text.h"
#include "core/ws/ws_client.h"

#include <cstring>

#include <cerrno>

#include <netdb.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/uri.h"
#include "core/ws/ws_handshake.h"

namespace hyco {
namespace {

/// lws reports a failed name lookup as "cannot start" or "getaddrinfo
/// failed": look the host up again to say which name failed and why.
std::string connect_failure(const std::string& host, std::string why) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc == 0) {
        ::freeaddrinfo(list);
        return why;
    }
    return fmt::format("cannot resolve host '{}': {}", host, rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc));
}

}  // namespace

std::string WsTarget::url() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::string out = (tls ? "wss://" : "ws://") + h;
    if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
    return out + path;
}

Result<WsTarget> parse_ws_url(std::string_view url) {
    auto u = parse_uri(url);
    if (!u) return u.error();
    WsTarget t;
    if (u->scheme == "wss" || u->scheme == "https") t.tls = true;
    else if (u->scheme == "ws" || u->scheme == "http") t.tls = false;
    else return make_error(Exit::failure, "invalid address", "unsupported scheme " + u->scheme);
    t.host = u->host;
    t.port = u->port.value_or(t.tls ? 443 : 80);
    t.path = u->path.empty() ? "/" : u->path;
    if (!u->query.empty()) t.path += "?" + u->query;
    return t;
}

WsClient::WsClient(EventLoop& loop, Events& events, WsTarget target, WsTimeouts timeouts)
    : loop_(loop), events_(events), target_(std::move(target)), timeouts_(timeouts), connect_timer_(loop),
      ping_timer_(loop), pong_timer_(loop), resume_timer_(loop) {}

WsClient::~WsClient() {
    if (wsi_) {
        lws_set_opaque_user_data(wsi_, nullptr);
        lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        wsi_ = nullptr;
    }
}

std::string WsClient::what() const { return "connect to " + sas::redact_in(target_.url()); }

Error WsClient::connection_error(std::string why) const {
    // A proxy that cannot be reached is named, not the relay behind it.
    if (proxy_ && !proxy_reached_) return make_error(Exit::failure, "proxy " + proxy_->label(), std::move(why));
    return make_error(Exit::failure, what(), std::move(why));
}

void WsClient::connect() {
    key_ = new_websocket_key();
    lws_client_connect_info ci;
    std::memset(&ci, 0, sizeof ci);
    ci.context = loop_.context();
    ci.vhost = loop_.vhost();
    // Through a proxy, TCP goes to it; TLS and the upgrade still name the
    // relay, inside the tunnel CONNECT opens.
    proxy_ = loop_.proxy().route(target_.host, target_.tls);
    ci.address = proxy_ ? proxy_->host.c_str() : target_.host.c_str();
    ci.port = proxy_ ? proxy_->port : target_.port;
    ci.path = "";
    ci.host = target_.host.c_str();
    ci.method = "RAW";  // plain TCP from lws; TLS is tls_ (see tls_client.h)
    ci.local_protocol_name = EventLoop::protocol_name();
    ci.opaque_user_data = this;
    ci.pwsi = &wsi_;
    if (target_.tls) {
        auto t = TlsClient::create(loop_.tls(), target_.host);
        if (!t) {
            terminal(Error{t.error().code, what(), t.error().why});
            return;
        }
        tls_ = std::move(*t);
    }
    connect_timer_.start(timeouts_.connect, [this] {
        if (!open_)
            abort(make_error(Exit::timeout, what(),
                             fmt::format("no WebSocket upgrade within {} ms", timeouts_.connect.count())));
    });
    if (!lws_client_connect_via_info(&ci) && !closed_) {
        // lws reported the failure synchronously (CONNECTION_ERROR already
        // ran in that case); otherwise report it here.
        wsi_ = nullptr;
        terminal(connection_error(connect_failure(proxy_ ? proxy_->host : target_.host, "cannot start the connection")));
    }
}

void WsClient::want_write() {
    if (wsi_ && transport_up_ && !closed_) lws_callback_on_writable(wsi_);
}

void WsClient::send(Fragment f) {
    if (finishing_ || closed_) return;
    queue_.push(std::move(f));
    if (open_) want_write();
}

void WsClient::finish(int code, std::string reason) {
    if (finishing_ || closed_) return;
    finishing_ = true;
    // Before the upgrade completes this just queues: the Close follows the
    // queued data once the connection is open (input may end that early).
    queue_.close(static_cast<std::uint16_t>(code), reason);
    if (open_) want_write();
}

void WsClient::abort(std::optional<Error> why) {
    if (closed_) return;
    if (why && !abort_reason_) abort_reason_ = std::move(why);
    if (!why) user_abort_ = true;
    if (!wsi_) {
        terminal(abort_reason_);
        return;
    }
    lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void WsClient::fail(Error e) {
    if (!abort_reason_) abort_reason_ = std::move(e);
    hangup_ = true;
}

void WsClient::receive(bool on) {
    if (paused_ == !on || closed_) return;
    paused_ = !on;
    if (!wsi_ || !open_) return;  // applied when the connection opens
    if (paused_) {
        // A Pong cannot be seen while we do not read: waiting for one now
        // would call a live peer dead because our own consumer is slow.
        pong_timer_.cancel();
        lws_rx_flow_control(wsi_, 0);
        return;
    }
    // Bytes held back go first, outside the caller's callback.
    if (!rx_stash_.empty()) resume_timer_.start(std::chrono::milliseconds(0), [this] { resume_rx(); });
    else lws_rx_flow_control(wsi_, 1);
}

void WsClient::resume_rx() {
    if (closed_ || paused_ || !wsi_) return;
    std::string held = std::move(rx_stash_);
    rx_stash_.clear();
    feed(held);
    if (hangup_) {
        abort();
        return;
    }
    if (!paused_) lws_rx_flow_control(wsi_, 1);
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
                abort(make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                 fmt::format("ping timeout: no answer within {} ms", timeouts_.ping_timeout.count())));
            });
        arm_ping();
    });
}

int WsClient::write_out(std::string& buf) {
    // `buf` is LWS_PRE headroom plus plaintext; with TLS the ciphertext
    // (including any handshake or post-handshake messages) goes instead.
    std::string* wire = &buf;
    if (tls_) {
        tls_out_.assign(LWS_PRE, '\0');
        if (auto st = tls_->send(std::string_view(buf).substr(LWS_PRE), tls_out_); !st) {
            if (!abort_reason_) abort_reason_ = Error{st.error().code, what(), st.error().why};
            return -1;
        }
        wire = &tls_out_;
    }
    if (wire->size() <= LWS_PRE) return 0;
    auto* p = reinterpret_cast<unsigned char*>(wire->data()) + LWS_PRE;
    if (lws_write(wsi_, p, wire->size() - LWS_PRE, LWS_WRITE_RAW) < 0) {
        if (!abort_reason_) abort_reason_ = make_error(Exit::failure, "send", "the connection failed while writing");
        return -1;
    }
    return 0;
}

int WsClient::send_wire() {
    int fd = lws_get_socket_fd(wsi_);
    while (wire_head_ < wire_.size()) {
        ssize_t n = ::send(fd, wire_.data() + wire_head_, wire_.size() - wire_head_, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
            if (!abort_reason_) abort_reason_ = make_error(Exit::failure, "send", "the connection failed while writing");
            return -1;
        }
        wire_head_ += static_cast<std::size_t>(n);
    }
    if (wire_head_ == wire_.size()) {
        wire_.clear();  // keeps its capacity for the next batch
        wire_head_ = 0;
    }
    return 0;
}

int WsClient::on_writeable() {
    if (closed_) return -1;
    if (hangup_ && wire_.empty()) return -1;  // hangup: our last bytes are flushed
    if (proxy_ && !tunnel_open_) {
        if (connect_sent_) return 0;
        connect_sent_ = true;
        out_.assign(LWS_PRE, '\0');
        // In clear to the proxy, before any TLS: the tunnel's request.
        out_ += connect_request(*proxy_, target_.host, target_.port);
        auto* p = reinterpret_cast<unsigned char*>(out_.data()) + LWS_PRE;
        if (lws_write(wsi_, p, out_.size() - LWS_PRE, LWS_WRITE_RAW) < 0) {
            if (!abort_reason_)
                abort_reason_ = make_error(Exit::failure, "proxy " + proxy_->label(), "the connection failed while writing");
            return -1;
        }
        return 0;
    }
    if (!open_) {
        out_.assign(LWS_PRE, '\0');
        // TLS handshake messages, then (once it is done) the upgrade request.
        if (!request_sent_ && (!tls_ || tls_->handshake_done())) {
            request_sent_ = true;
            out_ += upgrade_request(target_, key_);
        }
        return write_out(out_);
    }
    bool was_high = queue_.data_bytes() >= kLowWater;
    if (tls_) {
        if (wire_.empty() && !hangup_) {
            out_.clear();
            queue_.fill(out_, kWriteBatch);
            if (auto st = tls_->send(out_, wire_); !st) {
                if (!abort_reason_) abort_reason_ = Error{st.error().code, what(), st.error().why};
                return -1;
            }
        }
        if (send_wire() < 0) return -1;
    } else if (!hangup_ && queue_.send(lws_get_socket_fd(wsi_), kWriteBatch) < 0) {
        // Plain TCP: straight from the queue to the socket, as much as it
        // takes (lws_write would copy what a full socket refuses).
        if (!abort_reason_) abort_reason_ = make_error(Exit::failure, "send", "the connection failed while writing");
        return -1;
    }
    if (queue_.close_sent() && !close_sent_) {
        close_sent_ = true;
        // Both Closes done: hang up once ours is out.
        if (peer_closed_) hangup_ = true;
    }
    bool drained = was_high && queue_.data_bytes() < kLowWater;
    if (!wire_.empty() || queue_.pending() || hangup_) lws_callback_on_writable(wsi_);
    if (drained) events_.ws_drained(*this);
    return 0;
}

int WsClient::on_handshake_rx(std::string_view bytes) {
    head_.append(bytes);
    ResponseHeadResult r = parse_response_head(head_);
    if (r.state == ResponseHeadResult::State::incomplete) return 0;
    if (r.state == ResponseHeadResult::State::error) {
        fail(make_error(Exit::failure, what(), "malformed answer to the WebSocket upgrade: " + r.error));
        return -1;
    }
    const HttpResponseHead& head = r.head;
    if (head.status != 101) {
        result_.http_status = head.status;
        result_.http_reason = head.reason;
        result_.http_headers = failure_headers(head);
        std::string detail = fmt::format("HTTP {}", head.status);
        if (!head.reason.empty()) detail += " " + head.reason;
        fail(make_error(Exit::failure, what(), "relay answered " + detail));
        return -1;
    }
    UpgradeAnswer a = check_upgrade(head, key_, target_.subprotocols);
    if (!a.ok) {
        fail(make_error(Exit::failure, what(), "invalid WebSocket upgrade answer: " + a.error));
        return -1;
    }
    std::string rest = head_.substr(head.head_size);
    head_.clear();
    head_.shrink_to_fit();
    open_ = true;
    result_.established = true;
    subprotocol_ = a.subprotocol;
    connect_timer_.cancel();
    arm_ping();
    if (paused_) lws_rx_flow_control(wsi_, 0);
    events_.ws_open(*this);
    if (closed_) return -1;
    if (queue_.pending()) want_write();
    if (!rest.empty()) feed(rest);
    return hangup_ ? -1 : 0;
}

int WsClient::on_proxy_rx(std::string_view bytes) {
    proxy_head_.append(bytes);
    ResponseHeadResult r = parse_response_head(proxy_head_);
    if (r.state == ResponseHeadResult::State::incomplete) return 0;
    if (r.state == ResponseHeadResult::State::error) {
        fail(make_error(Exit::failure, "proxy " + proxy_->label(), "malformed answer to CONNECT: " + r.error));
        return -1;
    }
    if (auto st = check_connect_answer(r.head, *proxy_, target_.host, target_.port); !st) {
        fail(st.error());
        return -1;
    }
    tunnel_open_ = true;
    transport_up_ = true;
    std::string rest = proxy_head_.substr(r.head.head_size);
    proxy_head_.clear();
    proxy_head_.shrink_to_fit();
    lws_callback_on_writable(wsi_);  // the ClientHello or the upgrade request
    return rest.empty() ? 0 : on_raw_rx(rest);
}

int WsClient::on_raw_rx(std::string_view bytes) {
    if (proxy_ && !tunnel_open_) return on_proxy_rx(bytes);
    if (!tls_) return on_rx(bytes);
    bool was_done = tls_->handshake_done();
    tls_in_.clear();
    if (auto st = tls_->receive(bytes, tls_in_); !st) {
        std::string why = st.error().why;
        if (!tls_->handshake_done() && why.find("does not speak TLS") == std::string::npos)
            why = "TLS handshake failed (" + why + "); is the certificate trusted? A private CA can be given with --ca FILE";
        fail(Error{st.error().code, what(), why});
        return -1;
    }
    // Handshake replies, or the upgrade request now that TLS is up.
    if (tls_->has_output() || (!was_done && tls_->handshake_done())) lws_callback_on_writable(wsi_);
    if (tls_in_.empty()) return 0;
    std::string plain = std::move(tls_in_);
    tls_in_.clear();
    return on_rx(plain);
}

int WsClient::on_rx(std::string_view bytes) {
    pong_timer_.cancel();  // any traffic proves the peer is alive
    if (!open_) return on_handshake_rx(bytes);
    feed(bytes);
    return hangup_ ? -1 : 0;
}

void WsClient::feed(std::string_view bytes) {
    if (peer_closed_ || hangup_ || closed_) return;  // nothing may follow the peer's Close
    if (paused_) {
        // lws delivered more after we paused (e.g. TLS records already
        // decrypted): hold it, bounded by one read.
        rx_stash_.append(bytes);
        return;
    }
    if (!endpoint_.feed(bytes)) return;  // the peer's Close, or a violation
    if (endpoint_.stopped()) {
        endpoint_.resume();
        if (paused_ && !peer_closed_) rx_stash_.assign(bytes.substr(endpoint_.consumed()));
    }
}

void WsClient::ws_violation(std::uint16_t, const std::string& why) {
    // Tell the peer why (the endpoint queued our Close with the code), then
    // hang up (RFC 6455 §7.1.7).
    finishing_ = true;
    if (!abort_reason_)
        abort_reason_ = make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                   "the peer broke the WebSocket protocol: " + why);
    if (close_sent_) hangup_ = true;
    peer_closed_ = true;  // read no more; hang up once the Close is out
    want_write();
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
    if (paused_ || closed_ || hangup_) endpoint_.stop();
}

void WsClient::frame_end() {
    if (frame_empty_) {
        events_.ws_data(*this, {}, frame_fin_, msg_binary_);
        if (paused_ || closed_ || hangup_) endpoint_.stop();
    }
}

void WsClient::ws_ping(std::string_view) {
    want_write();
}

void WsClient::ws_close(std::uint16_t code, const std::string& reason) {
    peer_closed_ = true;
    result_.code = code;
    result_.reason = reason;
    if (close_sent_) {
        result_.kind = WsClose::Kind::ours;  // the answer to our Close: done
        hangup_ = true;
        return;
    }
    result_.kind = WsClose::Kind::peer;
    events_.ws_peer_closed(*this, code, reason);
}

void WsClient::terminal(std::optional<Error> failure) {
    if (closed_) return;
    closed_ = true;
    if (wsi_) lws_set_opaque_user_data(wsi_, nullptr);
    wsi_ = nullptr;
    open_ = false;
    connect_timer_.cancel();
    ping_timer_.cancel();
    pong_timer_.cancel();
    resume_timer_.cancel();
    if (abort_reason_) failure = abort_reason_;
    if (failure) {
        result_.kind = WsClose::Kind::failed;
        if (!result_.error || failure->code == Exit::timeout) result_.error = failure;
    } else if (result_.error) {
        result_.kind = WsClose::Kind::failed;
    } else if (peer_closed_ && !close_sent_ && !user_abort_ && result_.kind == WsClose::Kind::peer) {
        // The peer's Close came, but the connection went before ours: what
        // we were still sending after it did not all arrive.
        result_.kind = WsClose::Kind::failed;
        result_.error = make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                   fmt::format("the connection was lost after the peer's Close ({}{}{}) and before ours",
                                               result_.code, result_.reason.empty() ? "" : ": ", text::printable(result_.reason)));
    } else if (!peer_closed_) {
        result_.kind = user_abort_ ? WsClose::Kind::ours : WsClose::Kind::failed;
        if (!user_abort_)
            result_.error = make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                       result_.established ? "the peer vanished without a Close frame"
                                       : transport_up_     ? "the server hung up before answering the WebSocket upgrade"
                                                           : "closed");
        if (!user_abort_ && proxy_reached_ && !tunnel_open_)
            result_.error = make_error(Exit::failure, "proxy " + proxy_->label(), "it hung up before answering CONNECT");
    }
    queue_.clear();
    events_.ws_closed(*this, result_);
}

int WsClient::on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
    switch (reason) {
    case LWS_CALLBACK_RAW_CONNECTED:
        if (closed_ || transport_up_ || proxy_reached_) return 0;
        wsi_ = wsi;
        if (proxy_) proxy_reached_ = true;
        else transport_up_ = true;
        lws_callback_on_writable(wsi);  // CONNECT, the ClientHello or the upgrade request
        return 0;
    case LWS_CALLBACK_RAW_RX:
        if (closed_) return -1;
        return on_raw_rx(std::string_view(static_cast<const char*>(in), len));
    case LWS_CALLBACK_RAW_WRITEABLE:
        return on_writeable();
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
        std::string why = in ? std::string(static_cast<const char*>(in), strnlen(static_cast<const char*>(in), len ? len : 256))
                             : "connection failed";
        if (why.find("getaddrinfo") != std::string::npos) why = connect_failure(proxy_ ? proxy_->host : target_.host, why);
        if (!result_.error) result_.error = connection_error(why);
        terminal(std::nullopt);
        return 0;
    }
    case LWS_CALLBACK_RAW_CLOSE:
        terminal(std::nullopt);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        if (!closed_) terminal(make_error(Exit::failure, "connection", "closed"));
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
    }
}

}  // namespace hyco
