// A client byte stream over an lws raw socket (see client_transport.h).
#include "core/io/client_transport.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include <fmt/format.h>

#include "core/http/http_response_head.h"
#include "core/io/socket_endpoint.h"

namespace hyco {
ClientTransport::ClientTransport(EventLoop& loop, Events& events, std::string host, std::uint16_t port, bool tls)
    : loop_(loop), events_(events), host_(std::move(host)), port_(port), tls_wanted_(tls) {}

ClientTransport::~ClientTransport() {
    connector_.reset();
    if (wsi_) {
        lws_set_opaque_user_data(wsi_, nullptr);
        EventLoop::kill(wsi_);
        wsi_ = nullptr;
    }
}

Error ClientTransport::connection_error(std::string why) const {
    // A proxy that cannot be reached is named, not the target behind it.
    if (proxy_ && phase_ == Phase::connecting) return make_error(Exit::failure, "proxy " + proxy_->label(), std::move(why));
    return make_error(Exit::failure, events_.transport_what(), std::move(why));
}

void ClientTransport::connect() {
    if (phase_ != Phase::idle) return;
    phase_ = Phase::connecting;
    // Through a proxy, TCP goes to it; TLS still names the target, inside
    // the tunnel CONNECT opens.
    proxy_ = loop_.proxy().route(host_, tls_wanted_);
    if (tls_wanted_) {
        auto t = TlsClient::create(loop_.tls(), host_);
        if (!t) {
            closed(Error{t.error().code, events_.transport_what(), t.error().why});
            return;
        }
        tls_ = std::move(*t);
    }
    // TCP is ours, not lws's: lws 4.1.6 reads the socket's error after a
    // failed connect and drops it, reporting only "Unable to connect"; the
    // connector says "Connection refused", "No route to host" and the like.
    // The owner's own timer bounds the wait (no timeout here).
    SocketAddress to{proxy_ ? proxy_->host : host_, proxy_ ? proxy_->port : port_, {}};
    connector_ = std::make_unique<SocketConnector>(loop_, std::move(to), std::chrono::milliseconds(0),
                                                   [this](Result<int> fd) { tcp_done(std::move(fd)); });
    if (loop_.source_address()) connector_->from(*loop_.source_address());
    connector_->connect();
}

void ClientTransport::tcp_done(Result<int> fd) {
    connector_.reset();  // it reports from a deferred call: no longer inside it
    if (phase_ != Phase::connecting) {
        if (fd) ::close(*fd);
        // end() before TCP was up: nothing was written, so it hangs up now.
        if (phase_ == Phase::ending) closed(std::nullopt);
        return;
    }
    if (!fd) {
        // The connector words a failed lookup "resolve HOST"; ours names the host.
        const Error& e = fd.error();
        const std::string& host = proxy_ ? proxy_->host : host_;
        if (e.what == "resolve " + host)
            return closed(connection_error(fmt::format("cannot resolve host '{}': {}", host, e.why)));
        return closed(connection_error(e.why));
    }
    // lws takes the socket (and closes it if it cannot); RAW_ADOPT, and so
    // on_connected, runs before this returns.
    if (!loop_.adopt_socket(*fd, this) && phase_ == Phase::connecting)
        closed(connection_error("the event loop refused the connected socket"));
}

void ClientTransport::write_now(WireSource& source, std::size_t budget) {
    if (!wsi_ || phase_ != Phase::up || tls_ || failure_ || !flushed()) return;
    if (source.send(lws_get_socket_fd(wsi_), budget) < 0) write_failed(errno);
}

void ClientTransport::want_write() {
    if (wsi_ && (phase_ == Phase::up || phase_ == Phase::ending)) lws_callback_on_writable(wsi_);
}

void ClientTransport::read(bool on) {
    if (wsi_ && phase_ != Phase::closed) EventLoop::flow(wsi_, on);
}

void ClientTransport::end() {
    if (phase_ == Phase::closed || phase_ == Phase::ending) return;
    phase_ = Phase::ending;
    if (wsi_) lws_callback_on_writable(wsi_);
}

void ClientTransport::abort() {
    if (phase_ == Phase::closed) return;
    aborted_ = true;
    if (!wsi_) {
        connector_.reset();
        closed(std::nullopt);
        return;
    }
    EventLoop::kill(wsi_);
}

void ClientTransport::failed(Error e) {
    if (!failure_) failure_ = std::move(e);
}

void ClientTransport::write_failed(int err) {
    failed(make_error(Exit::failure, phase_ == Phase::tunnelling ? "proxy " + proxy_->label() : "send",
                      fmt::format("the connection failed while writing ({})", std::strerror(err))));
}

bool ClientTransport::send_wire() {
    int fd = lws_get_socket_fd(wsi_);
    while (wire_head_ < wire_.size()) {
        ssize_t n = ::send(fd, wire_.data() + wire_head_, wire_.size() - wire_head_, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
            write_failed(errno);
            return false;
        }
        wire_head_ += static_cast<std::size_t>(n);
    }
    if (flushed()) {
        // TLS encrypts every batch into wire_, so it keeps its capacity; in
        // clear it held only the upgrade (and CONNECT) request, and frames go
        // straight from the send queue.
        if (tls_) wire_.clear();
        else std::string().swap(wire_);
        wire_head_ = 0;
    } else {
        lws_callback_on_writable(wsi_);
    }
    return true;
}

bool ClientTransport::write(std::string_view plain) {
    if (!wsi_ || failure_) return false;
    if (!tls_) {
        wire_.append(plain);
    } else if (auto st = tls_->send(plain, wire_); !st) {
        failed(Error{st.error().code, events_.transport_what(), st.error().why});
        return false;
    }
    return send_wire();
}

bool ClientTransport::write_from(WireSource& source, std::size_t budget) {
    if (!wsi_ || failure_) return false;
    if (!flushed()) return send_wire();
    if (tls_) {
        plain_.clear();
        source.fill(plain_, budget);
        return write(plain_);
    }
    if (source.send(lws_get_socket_fd(wsi_), budget) < 0) {
        write_failed(errno);
        return false;
    }
    return true;
}

void ClientTransport::become_up() {
    phase_ = Phase::up;
    events_.transport_up();
}

int ClientTransport::on_connected(lws* wsi) {
    if (phase_ != Phase::connecting) return 0;
    wsi_ = wsi;
    if (proxy_) {
        phase_ = Phase::tunnelling;
        // In clear to the proxy, before any TLS: the tunnel's request.
        wire_ = connect_request(*proxy_, host_, port_);
        return send_wire() ? 0 : -1;
    }
    reached_target_ = true;
    if (tls_) {
        phase_ = Phase::securing;
        lws_callback_on_writable(wsi);  // the ClientHello
        return 0;
    }
    become_up();
    return after_events();
}

int ClientTransport::on_writeable() {
    switch (phase_) {
    case Phase::closed:
        return -1;
    case Phase::ending:
        // Hang up as soon as the last bytes are out, in this callback: the
        // socket asks for no further one once nothing is left to write.
        if (failure_ || !send_wire()) return -1;
        return flushed() ? -1 : 0;
    case Phase::securing:
        // Handshake messages only; plaintext waits for transport_up.
        return write({}) ? 0 : -1;
    case Phase::up:
        // TLS records of its own (tickets, alerts) and earlier writes first.
        if (tls_ && tls_->has_output() && !write({})) return -1;
        if (!flushed() && !send_wire()) return -1;
        if (!flushed()) return 0;  // send_wire asked for the next chance
        events_.transport_writable();
        return after_events();
    default:
        return flushed() || send_wire() ? 0 : -1;
    }
}

int ClientTransport::on_proxy_rx(std::string_view bytes) {
    proxy_head_.append(bytes);
    ResponseHeadResult r = parse_response_head(proxy_head_);
    if (r.state == ResponseHeadResult::State::incomplete) return 0;
    if (r.state == ResponseHeadResult::State::error) {
        failed(make_error(Exit::failure, "proxy " + proxy_->label(), "malformed answer to CONNECT: " + r.error));
        return -1;
    }
    if (auto st = check_connect_answer(r.head, *proxy_, host_, port_); !st) {
        failed(st.error());
        return -1;
    }
    reached_target_ = true;
    std::string rest = proxy_head_.substr(r.head.head_size);
    proxy_head_.clear();
    proxy_head_.shrink_to_fit();
    if (tls_) {
        phase_ = Phase::securing;
        lws_callback_on_writable(wsi_);  // the ClientHello
    } else {
        become_up();
        if (int rc = after_events(); rc != 0) return rc;
    }
    return rest.empty() ? 0 : on_rx(rest);
}

int ClientTransport::on_rx(std::string_view bytes) {
    if (phase_ == Phase::tunnelling) return on_proxy_rx(bytes);
    if (phase_ != Phase::securing && phase_ != Phase::up) return 0;  // ending: nothing more is read
    if (!tls_) {
        events_.transport_rx(bytes);
        return after_events();
    }
    bool was_done = tls_->handshake_done();
    tls_in_.clear();
    if (auto st = tls_->receive(bytes, tls_in_); !st) {
        std::string why = st.error().why;
        if (!was_done && why.find("does not speak TLS") == std::string::npos)
            why = "TLS handshake failed (" + why + "); is the certificate trusted? A private CA can be given with --ca FILE";
        failed(Error{st.error().code, events_.transport_what(), why});
        return -1;
    }
    if (tls_->has_output()) lws_callback_on_writable(wsi_);  // handshake replies, alerts
    if (!was_done && tls_->handshake_done()) {
        become_up();
        if (int rc = after_events(); rc != 0) return rc;
    }
    if (tls_in_.empty() || phase_ != Phase::up) return 0;
    std::string plain = std::move(tls_in_);
    tls_in_.clear();
    events_.transport_rx(plain);
    return after_events();
}

int ClientTransport::after_events() {
    // The owner may have ended, aborted or failed the stream meanwhile.
    if (phase_ == Phase::closed || failure_) return -1;
    if (phase_ == Phase::ending) {
        if (flushed()) return -1;
        lws_callback_on_writable(wsi_);
    }
    return 0;
}

void ClientTransport::closed(std::optional<Error> failure) {
    if (phase_ == Phase::closed) return;
    Phase was = phase_;
    phase_ = Phase::closed;
    if (wsi_) lws_set_opaque_user_data(wsi_, nullptr);
    wsi_ = nullptr;
    if (failure_) failure = std::move(failure_);
    if (!failure && !aborted_ && was == Phase::tunnelling)
        failure = make_error(Exit::failure, "proxy " + proxy_->label(), "it hung up before answering CONNECT");
    wire_.clear();
    wire_head_ = 0;
    events_.transport_closed(std::move(failure));
}

int ClientTransport::on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
    switch (reason) {
    case LWS_CALLBACK_RAW_ADOPT:
        return on_connected(wsi);
    case LWS_CALLBACK_RAW_RX:
        if (phase_ == Phase::closed) return -1;
        return on_rx(std::string_view(static_cast<const char*>(in), len));
    case LWS_CALLBACK_RAW_WRITEABLE:
        return on_writeable();
    case LWS_CALLBACK_RAW_CLOSE:
        closed(std::nullopt);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        if (phase_ != Phase::closed) closed(make_error(Exit::failure, "connection", "closed"));
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
    }
}

}  // namespace hyco
