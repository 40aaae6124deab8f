// TLS client over memory BIOs (see tls_client.h). The read BIO takes what
// lws received; the write BIO collects what must be sent, which WsClient
// drains into its next lws_write.
#include "core/io/tls_client.h"

#include <ctime>
#include <deque>
#include <map>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/io/tls_text.h"

namespace hyco {

struct TlsClient::State {
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    BIO* rbio = nullptr;  // owned by ssl
    BIO* wbio = nullptr;  // owned by ssl
    std::string host;     // the pool key of the tickets this connection receives
    ~State() {
        if (ssl) SSL_free(ssl);
        if (ctx) SSL_CTX_free(ctx);
    }
};

namespace {

constexpr std::string_view kVerifyFailed = "certificate verification failed: ";

}  // namespace

/// Session tickets by host name, each used once (RFC 8446 C.4: a reused
/// ticket would link connections). A server sends one or two with every
/// handshake, so a busy client resumes nearly always: no certificate chain
/// to verify, no signature for the server to make. A ticket is only ever
/// offered to the host whose certificate it was issued after checking, by
/// the same context (same trust anchors): resuming skips no check that
/// the first connection did not make.
struct TlsSessionPool {
    static constexpr std::size_t kPerHost = 16;
    std::map<std::string, std::deque<SSL_SESSION*>> by_host;
    ~TlsSessionPool() {
        for (auto& [host, list] : by_host)
            for (SSL_SESSION* s : list) SSL_SESSION_free(s);
    }
};

TlsContextSlot::TlsContextSlot() = default;

TlsContextSlot::~TlsContextSlot() {
    // Connections still open hold the context: their tickets must not find
    // this slot any more.
    if (ctx) SSL_CTX_set_app_data(ctx, nullptr);
    sessions.reset();
    if (ctx) SSL_CTX_free(ctx);
}

namespace {

Result<SSL_CTX*> new_context(const TlsOptions& options) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return make_error(Exit::failure, "TLS", openssl_reason());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (!options.insecure) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
        SSL_CTX_set_default_verify_paths(ctx);
        if (!options.ca_file.empty() && SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(), nullptr) != 1) {
            SSL_CTX_free(ctx);
            return make_error(Exit::failure, "TLS",
                              "cannot load --ca " + options.ca_file + " (a readable PEM file?): " + openssl_reason());
        }
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    }
    return ctx;
}

/// OpenSSL's new-session callback: a copy of the ticket goes to the pool of
/// the connection's host. A copy, because the session a connection still
/// holds is marked unresumable when that connection ends without a
/// close_notify (as when the peer vanishes), even though its ticket is good.
int keep_session(SSL* ssl, SSL_SESSION* session) {
    auto* slot = static_cast<TlsContextSlot*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    auto* host = static_cast<const std::string*>(SSL_get_app_data(ssl));
    if (!slot || !slot->sessions || !host || !SSL_SESSION_is_resumable(session)) return 0;
    SSL_SESSION* copy = SSL_SESSION_dup(session);
    if (!copy) return 0;
    auto& list = slot->sessions->by_host[*host];
    if (list.size() >= TlsSessionPool::kPerHost) {
        SSL_SESSION_free(list.front());
        list.pop_front();
    }
    list.push_back(copy);
    return 0;  // the original stays the connection's
}

void enable_resumption(TlsContextSlot& slot) {
    slot.sessions = std::make_unique<TlsSessionPool>();
    SSL_CTX_set_app_data(slot.ctx, &slot);
    SSL_CTX_set_session_cache_mode(slot.ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(slot.ctx, keep_session);
}

/// A ticket for `host` not yet used, or nullptr (the caller owns it).
SSL_SESSION* take_session(TlsContextSlot* slot, const std::string& host) {
    if (!slot || !slot->sessions) return nullptr;
    auto it = slot->sessions->by_host.find(host);
    while (it != slot->sessions->by_host.end() && !it->second.empty()) {
        SSL_SESSION* s = it->second.back();
        it->second.pop_back();
        if (SSL_SESSION_is_resumable(s) &&
            SSL_SESSION_get_time(s) + SSL_SESSION_get_timeout(s) > static_cast<long>(std::time(nullptr)))
            return s;
        SSL_SESSION_free(s);
    }
    return nullptr;
}

}  // namespace

Result<std::unique_ptr<TlsClient>> TlsClient::create(const TlsOptions& options, const std::string& host) {
    std::unique_ptr<TlsClient> t(new TlsClient());
    t->s_ = std::make_unique<State>();
    State& s = *t->s_;
    TlsContextSlot* shared = options.context.get();
    if (!shared || !shared->ctx) {
        auto made = new_context(options);
        if (!made) return made.error();
        if (shared) {
            shared->ctx = *made;
            enable_resumption(*shared);
        } else {
            s.ctx = *made;  // nowhere to keep it: this connection's own
        }
    }
    if (!s.ctx) {
        if (SSL_CTX_up_ref(shared->ctx) != 1) return make_error(Exit::failure, "TLS", openssl_reason());
        s.ctx = shared->ctx;
    }
    s.ssl = SSL_new(s.ctx);
    s.rbio = BIO_new(BIO_s_mem());
    s.wbio = BIO_new(BIO_s_mem());
    if (!s.ssl || !s.rbio || !s.wbio) {
        if (s.rbio) BIO_free(s.rbio);
        if (s.wbio) BIO_free(s.wbio);
        return make_error(Exit::failure, "TLS", openssl_reason());
    }
    SSL_set_bio(s.ssl, s.rbio, s.wbio);
    SSL_set_connect_state(s.ssl);
    s.host = host;
    SSL_set_app_data(s.ssl, &s.host);
    if (SSL_SESSION* ticket = take_session(shared, host)) {
        SSL_set_session(s.ssl, ticket);  // takes its own reference
        SSL_SESSION_free(ticket);
    }
    static const unsigned char kAlpn[] = "\x08http/1.1";
    SSL_set_alpn_protos(s.ssl, kAlpn, sizeof kAlpn - 1);
    bool ip = is_ip_literal(host);
    if (!ip) SSL_set_tlsext_host_name(s.ssl, host.c_str());
    if (!options.insecure) {
        X509_VERIFY_PARAM* param = SSL_get0_param(s.ssl);
        int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) : SSL_set1_host(s.ssl, host.c_str());
        if (ok != 1) return make_error(Exit::failure, "TLS", "cannot check the certificate against " + host);
    }
    return t;
}

TlsClient::~TlsClient() = default;

Error TlsClient::failure(const char* what) const {
    long v = SSL_get_verify_result(s_->ssl);
    if (v != X509_V_OK)
        return Error{Exit::failure, "TLS", std::string(kVerifyFailed) + X509_verify_cert_error_string(v)};
    // A plain HTTP server answers a ClientHello in clear text, which OpenSSL
    // reads as a record of a wrong version or an absurd length.
    if (!done_ && peer_is_not_tls()) {
        ERR_clear_error();
        return Error{Exit::failure, "TLS",
                     "the endpoint does not speak TLS (a plain ws:// relay such as hyco-relay without --tls? add "
                     "UseDevelopmentEmulator=true to the connection string, or --emulator)"};
    }
    return Error{Exit::failure, "TLS", std::string(what) + ": " + openssl_reason()};
}

Status TlsClient::step() {
    if (done_) return {};
    int r = SSL_do_handshake(s_->ssl);
    if (r == 1) {
        done_ = true;
        return {};
    }
    int e = SSL_get_error(s_->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return {};
    return failure("handshake failed");
}

Status TlsClient::receive(std::string_view cipher, std::string& plain) {
    if (!cipher.empty() && BIO_write(s_->rbio, cipher.data(), static_cast<int>(cipher.size())) <= 0)
        return failure("buffering received data");
    if (auto st = step(); !st) return st;
    if (!done_) return {};
    char buf[64 * 1024];
    for (;;) {
        int n = SSL_read(s_->ssl, buf, sizeof buf);
        if (n > 0) {
            plain.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        int e = SSL_get_error(s_->ssl, n);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_ZERO_RETURN) return {};
        return failure("decrypting");
    }
}

Status TlsClient::send(std::string_view plain, std::string& out) {
    if (auto st = step(); !st) return st;
    if (!plain.empty()) {
        if (!done_) return Error{Exit::failure, "TLS", "data before the handshake completed"};
        // A memory BIO takes everything: SSL_write never returns short here.
        if (SSL_write(s_->ssl, plain.data(), static_cast<int>(plain.size())) <= 0) return failure("encrypting");
    }
    std::size_t pending;
    while ((pending = BIO_ctrl_pending(s_->wbio)) > 0) {
        std::size_t at = out.size();
        out.resize(at + pending);
        int n = BIO_read(s_->wbio, out.data() + at, static_cast<int>(pending));
        out.resize(at + static_cast<std::size_t>(n > 0 ? n : 0));
        if (n <= 0) break;
    }
    return {};
}

bool TlsClient::resumed() const { return done_ && SSL_session_reused(s_->ssl) == 1; }

bool TlsClient::has_output() const { return BIO_ctrl_pending(s_->wbio) > 0; }

bool is_certificate_failure(const Error& e) { return e.why.find(kVerifyFailed) != std::string::npos; }

}  // namespace hyco
