// WebSocket client on lws (see ws_client.h). Notes on lws 4.1.6 behaviour
// this relies on are in /work/shared/libwebsockets-4.1.6.md and docs/design.md:
// header names need their colon, a refused upgrade is read inside
// CLIENT_CONNECTION_ERROR, and a timeout before the 101 arrives as
// CLOSED_CLIENT_HTTP.
#include "core/ws_client.h"

#include <cstring>

#include <fmt/format.h>

#include "core/sas.h"
#include "core/uri.h"

namespace hyco {
namespace {

// Response headers worth keeping from a refused upgrade: relays explain
// themselves in these.
// lws 4.1.6 keeps the Close opcode private (lib/roles/ws/private-lib-roles-ws.h
// defines LWS_WRITE_CLOSE 4); lws_write() frames it like PING/PONG.
constexpr auto kWriteClose = static_cast<lws_write_protocol>(4);

constexpr const char* kFailureHeaders[] = {"x-ms-error:", "hyco-error:", "hyco-rejected-by:",
                                           "x-hyco-rejected:", "trackingid:"};

std::string trim_copy(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
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
      ping_timer_(loop), pong_timer_(loop) {}

WsClient::~WsClient() {
    if (wsi_) {
        lws_set_opaque_user_data(wsi_, nullptr);
        lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        wsi_ = nullptr;
    }
}

void WsClient::connect() {
    for (std::size_t i = 0; i < target_.subprotocols.size(); ++i)
        protocols_ += (i ? ", " : "") + target_.subprotocols[i];
    host_header_ = target_.host;
    if (target_.port != (target_.tls ? 443 : 80)) host_header_ += ":" + std::to_string(target_.port);

    lws_client_connect_info ci;
    std::memset(&ci, 0, sizeof ci);
    ci.context = loop_.context();
    ci.vhost = loop_.vhost();
    ci.address = target_.host.c_str();
    ci.port = target_.port;
    ci.path = target_.path.c_str();
    ci.host = host_header_.c_str();
    ci.protocol = protocols_.empty() ? nullptr : protocols_.c_str();
    ci.local_protocol_name = EventLoop::protocol_name();
    ci.ietf_version_or_minus_one = -1;
    ci.opaque_user_data = this;
    ci.pwsi = &wsi_;
    if (target_.tls) {
        ci.ssl_connection = LCCSCF_USE_SSL;
        if (loop_.tls().insecure)
            ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
                                 LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
    }
    connect_timer_.start(timeouts_.connect, [this] {
        if (!open_)
            abort(make_error(Exit::timeout, "connect to " + sas::redact_in(target_.url()),
                             fmt::format("no WebSocket upgrade within {} ms", timeouts_.connect.count())));
    });
    if (!lws_client_connect_via_info(&ci) && !closed_) {
        // lws reported the failure synchronously (CONNECTION_ERROR already
        // ran in that case); otherwise report it here.
        wsi_ = nullptr;
        terminal(nullptr, make_error(Exit::failure, "connect to " + sas::redact_in(target_.url()),
                                     "cannot start the connection"));
    }
}

void WsClient::want_write() {
    if (wsi_ && open_) lws_callback_on_writable(wsi_);
}

void WsClient::send(Fragment f) {
    if (finishing_ || closed_) return;
    Out o;
    o.buf.resize(LWS_PRE + f.data.size());
    std::memcpy(o.buf.data() + LWS_PRE, f.data.data(), f.data.size());
    o.flags = lws_write_ws_flags(f.binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT, f.first, f.final);
    queued_bytes_ += f.data.size();
    queue_.push_back(std::move(o));
    want_write();
}

void WsClient::finish(int code, std::string reason) {
    if (finishing_ || closed_) return;
    finishing_ = true;
    if (reason.size() > 120) reason.resize(120);
    close_frame_.assign(LWS_PRE + 2 + reason.size(), 0);
    close_frame_[LWS_PRE] = static_cast<unsigned char>((code >> 8) & 0xff);
    close_frame_[LWS_PRE + 1] = static_cast<unsigned char>(code & 0xff);
    std::memcpy(close_frame_.data() + LWS_PRE + 2, reason.data(), reason.size());
    if (!open_) {
        abort();
        return;
    }
    want_write();
}

void WsClient::abort(std::optional<Error> why) {
    if (closed_) return;
    if (why && !abort_reason_) abort_reason_ = std::move(why);
    if (!why) user_abort_ = true;
    if (!wsi_) {
        terminal(nullptr, abort_reason_);
        return;
    }
    lws_set_timeout(wsi_, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void WsClient::receive(bool on) {
    if (wsi_ && open_) lws_rx_flow_control(wsi_, on ? 1 : 0);
}

void WsClient::arm_ping() {
    if (timeouts_.ping_interval.count() <= 0) return;
    ping_timer_.start(timeouts_.ping_interval, [this] {
        ping_due_ = true;
        want_write();
        if (!pong_timer_.pending())
            pong_timer_.start(timeouts_.ping_timeout, [this] {
                abort(make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                 fmt::format("ping timeout: no answer within {} ms", timeouts_.ping_timeout.count())));
            });
        arm_ping();
    });
}

int WsClient::on_writeable() {
    if (ping_due_) {
        ping_due_ = false;
        unsigned char buf[LWS_PRE + 4] = {};
        if (lws_write(wsi_, buf + LWS_PRE, 0, LWS_WRITE_PING) < 0) return -1;
        if (!queue_.empty() || (finishing_ && !close_sent_)) lws_callback_on_writable(wsi_);
        return 0;
    }
    if (!queue_.empty()) {
        Out& o = queue_.front();
        std::size_t n = o.buf.size() - LWS_PRE;
        if (lws_write(wsi_, o.buf.data() + LWS_PRE, n, static_cast<lws_write_protocol>(o.flags)) < 0) {
            abort_reason_ = make_error(Exit::failure, "send", "the connection failed while writing");
            return -1;
        }
        bool was_high = queued_bytes_ >= kLowWater;
        queued_bytes_ -= n;
        queue_.pop_front();
        if (!queue_.empty() || finishing_) lws_callback_on_writable(wsi_);
        if (was_high && queued_bytes_ < kLowWater) events_.ws_drained(*this);
        return 0;
    }
    if (finishing_ && !close_sent_) {
        // Written by hand rather than through lws_close_reason(): that path
        // stops delivering data, while a half-close must keep reading.
        close_sent_ = true;
        if (lws_write(wsi_, close_frame_.data() + LWS_PRE, close_frame_.size() - LWS_PRE, kWriteClose) < 0)
            return -1;
    }
    return 0;
}

void WsClient::capture_http_failure(lws* wsi, const char* why) {
    result_.http_status = static_cast<int>(lws_http_client_http_response(wsi));
    char buf[512];
    if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_HTTP) > 0) {
        // The status line's value is "404 Not Found": keep the phrase.
        std::string line = trim_copy(buf);
        auto sp = line.find(' ');
        result_.http_reason = sp == std::string::npos ? "" : trim_copy(line.substr(sp + 1));
    }
    for (const char* name : kFailureHeaders) {
        int n = lws_hdr_custom_copy(wsi, buf, sizeof buf, name, static_cast<int>(std::strlen(name)));
        if (n > 0) {
            std::string h(name);
            h.pop_back();
            result_.http_headers.emplace_back(h, trim_copy(std::string(buf, static_cast<std::size_t>(n))));
        }
    }
    std::string what = "connect to " + sas::redact_in(target_.url());
    std::string text = why ? why : "connection failed";
    if (result_.http_status > 0) {
        std::string detail = fmt::format("HTTP {}", result_.http_status);
        if (!result_.http_reason.empty()) detail += " " + result_.http_reason;
        result_.error = make_error(Exit::failure, what, "relay answered " + detail);
    } else if (target_.tls && (text.find("SSL") != std::string::npos || text.find("ssl") != std::string::npos)) {
        result_.error = make_error(Exit::failure, what,
                                   "TLS handshake failed (" + text +
                                       "); is the certificate trusted? A private CA can be given with --ca FILE");
    } else {
        result_.error = make_error(Exit::failure, what, text);
    }
}

void WsClient::terminal(lws* wsi, std::optional<Error> failure) {
    if (closed_) return;
    closed_ = true;
    if (wsi) lws_set_opaque_user_data(wsi, nullptr);
    wsi_ = nullptr;
    open_ = false;
    connect_timer_.cancel();
    ping_timer_.cancel();
    pong_timer_.cancel();
    if (abort_reason_) failure = abort_reason_;
    if (failure) {
        result_.kind = WsClose::Kind::failed;
        if (!result_.error || failure->code == Exit::timeout) result_.error = failure;
    } else if (result_.error) {
        result_.kind = WsClose::Kind::failed;
    } else if (result_.kind == WsClose::Kind::failed) {
        if (user_abort_)
            result_.kind = WsClose::Kind::ours;
        else
            result_.error = make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()), "closed");
    }
    queue_.clear();
    queued_bytes_ = 0;
    events_.ws_closed(*this, result_);
}

int WsClient::on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        auto** p = static_cast<unsigned char**>(in);
        unsigned char* end = *p + len;
        for (const auto& [name, value] : target_.headers) {
            std::string n = name + ":";
            if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(n.c_str()),
                                            reinterpret_cast<const unsigned char*>(value.data()),
                                            static_cast<int>(value.size()), p, end))
                return -1;
        }
        return 0;
    }
    case LWS_CALLBACK_CLIENT_ESTABLISHED: {
        wsi_ = wsi;
        open_ = true;
        result_.established = true;
        connect_timer_.cancel();
        char buf[256];
        if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_PROTOCOL) > 0) subprotocol_ = buf;
        arm_ping();
        events_.ws_open(*this);
        if (!queue_.empty() || finishing_) lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE: {
        pong_timer_.cancel();  // any traffic proves the peer is alive
        bool final = lws_is_final_fragment(wsi) != 0;
        bool binary = lws_frame_is_binary(wsi) != 0;
        events_.ws_data(*this, std::string_view(static_cast<const char*>(in), len), final, binary);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        pong_timer_.cancel();
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (closed_) return -1;
        return on_writeable();
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
        const auto* p = static_cast<const unsigned char*>(in);
        if (len >= 2) {
            result_.code = (p[0] << 8) | p[1];
            result_.reason.assign(reinterpret_cast<const char*>(p + 2), len - 2);
        } else {
            result_.code = 1005;  // no status received
        }
        if (close_sent_) {
            // The answer to our Close: the handshake is complete, hang up
            // without echoing (lws would send a second Close).
            result_.kind = WsClose::Kind::ours;
            return -1;
        }
        result_.kind = WsClose::Kind::peer;
        return 0;  // lws echoes the Close and then closes
    }
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        capture_http_failure(wsi, static_cast<const char*>(in));
        terminal(wsi, std::nullopt);
        return 0;
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        if (!open_) {
            if (!result_.error)
                result_.error = make_error(Exit::timeout, "connect to " + sas::redact_in(target_.url()),
                                           "no answer to the WebSocket upgrade");
            terminal(wsi, std::nullopt);
        }
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (!abort_reason_ && result_.kind == WsClose::Kind::failed) {
            if (user_abort_)
                result_.kind = WsClose::Kind::ours;
            else
                result_.error = make_error(Exit::failure, "connection to " + sas::redact_in(target_.url()),
                                           "the peer vanished without a Close frame");
        }
        terminal(wsi, std::nullopt);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        if (!closed_) terminal(wsi, make_error(Exit::failure, "connection", "closed"));
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
    }
}

}  // namespace hyco
