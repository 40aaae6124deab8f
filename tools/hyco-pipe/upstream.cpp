// The relay-http upstream connection (see upstream.h).
#include "tools/hyco-pipe/upstream.h"

#include <unistd.h>

namespace hyco::pipe {

Upstream::Upstream(EventLoop& loop, Events& events, SocketAddress target, bool tls, std::chrono::milliseconds timeout)
    : loop_(loop), events_(events), target_(std::move(target)), use_tls_(tls), timeout_(timeout) {}

Upstream::~Upstream() {
    silenced_ = true;
    stream_.reset();
}

void Upstream::connect() {
    connector_ = std::make_unique<SocketConnector>(loop_, target_, timeout_, [this](Result<int> fd) {
        if (!fd) return fail(fd.error());
        connected(*fd);
    });
    connector_->connect();
}

void Upstream::connected(int fd) {
    if (use_tls_) {
        auto t = TlsClient::create(loop_.tls(), target_.host);
        if (!t) {
            ::close(fd);
            return fail(t.error());
        }
        tls_ = std::move(*t);
    }
    FdStream::Events& self = *this;
    stream_ = std::make_unique<FdStream>(loop_, self, fd, fd, target_.label());
    if (auto st = stream_->start(); !st) return fail(st.error());
    if (paused_) stream_->pause(true);
    if (!tls_) {
        open_ = true;
        if (!pending_.empty()) stream_->write(pending_);
        pending_.clear();
        if (!silenced_) events_.upstream_open();
        return;
    }
    flush_tls();  // the ClientHello
}

void Upstream::flush_tls() {
    std::string out;
    std::string plain;
    if (open_) plain = std::move(pending_);
    pending_.clear();
    if (auto st = tls_->send(plain, out); !st) return fail(st.error());
    if (!out.empty()) stream_->write(out);
}

void Upstream::fail(const Error& e) {
    if (dead_) return;
    dead_ = true;
    Error named = e;
    if (named.what.empty() || named.what == "TLS") named.what = "relay " + target_.label() + (use_tls_ ? " (TLS)" : "");
    if (!silenced_) events_.upstream_failed(named);
}

void Upstream::write(std::string_view plain) {
    if (dead_) return;
    if (!open_) {
        pending_.append(plain);
        return;
    }
    if (!tls_) return stream_->write(plain);
    std::string out;
    if (auto st = tls_->send(plain, out); !st) return fail(st.error());
    stream_->write(out);
}

bool Upstream::writable() const {
    if (dead_) return true;  // nothing waits: the failure is reported instead
    if (!open_) return pending_.size() < kHighWater;
    return stream_->writable();
}

void Upstream::pause(bool paused) {
    paused_ = paused;
    if (stream_ && !dead_) stream_->pause(paused);
}

void Upstream::stream_data(FdStream&, std::string_view bytes) {
    if (dead_) return;
    if (!tls_) {
        if (!silenced_) events_.upstream_data(bytes);
        return;
    }
    bool was_open = open_;
    std::string plain;
    if (auto st = tls_->receive(bytes, plain); !st) return fail(st.error());
    if (!was_open && tls_->handshake_done()) {
        open_ = true;
        flush_tls();  // handshake's last flight, then what was written before
        if (dead_) return;
        if (!silenced_) events_.upstream_open();
    } else if (tls_->has_output()) {
        flush_tls();
    }
    if (!plain.empty() && !dead_ && !silenced_) events_.upstream_data(plain);
}

void Upstream::stream_eof(FdStream&) {
    if (dead_) return;
    if (!open_) return fail(make_error(Exit::failure, "", "the connection closed during the TLS handshake"));
    dead_ = true;
    if (!silenced_) events_.upstream_end();
}

void Upstream::stream_read_failed(FdStream&, const Error& error) { fail(error); }

void Upstream::stream_drained(FdStream&) {
    if (!dead_ && !silenced_) events_.upstream_drained();
}

void Upstream::stream_write_closed(FdStream&, const Error* error) {
    if (error) fail(*error);
}

}  // namespace hyco::pipe
