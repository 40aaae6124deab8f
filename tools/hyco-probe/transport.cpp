// Blocking sockets with poll() deadlines, and OpenSSL on the socket itself
// (SSL_set_fd): the probe runs its steps one after another, so an event
// loop would only hide which step a timeout belongs to.
#include "tools/hyco-probe/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/http/http_response_head.h"
#include "core/io/source_address.h"
#include "core/io/tls_text.h"

namespace hyco::probe {
namespace {

std::string address_text(const sockaddr* sa) {
    char buf[INET6_ADDRSTRLEN] = "?";
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
        return buf;
    }
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
    return fmt::format("[{}]", buf);
}

std::uint16_t address_port(const sockaddr_storage& sa) {
    if (sa.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&sa)->sin_port);
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&sa)->sin6_port);
}

/// Waits for `events` on `fd` until the timeout; Exit::timeout when it
/// passes, Exit::interrupted when SIGINT/SIGTERM reaches the loop's signal
/// descriptor first.
Status wait_for(int fd, short events, std::chrono::milliseconds timeout, const std::string& what, EventLoop& loop) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (loop.interrupted()) return make_error(Exit::interrupted, what, "interrupted");
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) left = std::chrono::milliseconds(0);
        pollfd p[2] = {{fd, events, 0}, {loop.signal_fd(), POLLIN, 0}};
        int n = poll(p, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return make_error(Exit::failure, what, std::strerror(errno));
        if (n == 0) return make_error(Exit::timeout, what, fmt::format("no answer within {} ms", timeout.count()));
        if (p[1].revents) loop.take_signals();
        if (p[0].revents) return {};
    }
}

std::string name_text(const X509_NAME* name) {
    if (!name) return "?";
    BIO* b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    std::string s(data, static_cast<std::size_t>(n > 0 ? n : 0));
    BIO_free(b);
    return s;
}

}  // namespace

Result<std::vector<Address>> resolve(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string service = std::to_string(port);
    int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
    if (rc != 0)
        return make_error(
            Exit::failure, "dns",
            fmt::format("cannot resolve {}: {}", host, rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc)));
    std::vector<Address> out;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
        Address a;
        std::memcpy(&a.sa, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        a.text = address_text(ai->ai_addr);
        out.push_back(std::move(a));
    }
    freeaddrinfo(res);
    if (out.empty()) return make_error(Exit::failure, "dns", "no address for " + host);
    return out;
}

struct Connection::Tls {
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    ~Tls() {
        if (ssl) SSL_free(ssl);
        if (ctx) SSL_CTX_free(ctx);
    }
};

Connection::Connection(int fd, std::string peer, std::chrono::milliseconds timeout, EventLoop& loop)
    : fd_(fd), peer_(std::move(peer)), timeout_(timeout), loop_(loop) {}

Connection::~Connection() {
    tls_.reset();
    close(fd_);
}

Result<std::unique_ptr<Connection>> open_tcp(const std::vector<Address>& addresses, std::chrono::milliseconds timeout,
                                             EventLoop& loop) {
    Error last = make_error(Exit::failure, "tcp", "no address to connect to");
    for (const Address& a : addresses) {
        std::string peer = fmt::format("{}:{}", a.text, address_port(a.sa));
        int fd = socket(a.sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) return make_error(Exit::failure, "tcp", std::strerror(errno));
        auto conn = std::make_unique<Connection>(fd, peer, timeout, loop);
        if (const auto& source = loop.source_address()) {
            if (Status b = bind_source(fd, a.sa.ss_family, *source); !b) {
                last = make_error(Exit::failure, "tcp",
                                  fmt::format("connect to {}: {}: {}", peer, b.error().what, b.error().why));
                continue;
            }
        }
        int rc = connect(fd, reinterpret_cast<const sockaddr*>(&a.sa), a.len);
        if (rc != 0 && errno != EINPROGRESS) {
            last = make_error(Exit::failure, "tcp", fmt::format("connect to {}: {}", peer, std::strerror(errno)));
            continue;
        }
        if (rc != 0) {
            if (auto st = wait_for(fd, POLLOUT, timeout, "tcp", loop); !st) {
                last = make_error(st.error().code, "tcp", fmt::format("connect to {}: {}", peer, st.error().why));
                continue;
            }
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0) {
                last = make_error(Exit::failure, "tcp", fmt::format("connect to {}: {}", peer, std::strerror(err)));
                continue;
            }
        }
        return conn;
    }
    return last;
}

Result<TlsPeer> Connection::start_tls(const TlsOptions& options, const std::string& host) {
    tls_ = std::make_unique<Tls>();
    tls_->ctx = SSL_CTX_new(TLS_client_method());
    if (!tls_->ctx) return make_error(Exit::failure, "tls", openssl_reason());
    SSL_CTX_set_min_proto_version(tls_->ctx, TLS1_2_VERSION);
    // Verification runs in full but never aborts the handshake: the probe
    // wants the certificate it is judging, and SSL_get_verify_result after.
    SSL_CTX_set_verify(tls_->ctx, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_default_verify_paths(tls_->ctx);
    if (!options.ca_file.empty() && SSL_CTX_load_verify_locations(tls_->ctx, options.ca_file.c_str(), nullptr) != 1)
        return make_error(Exit::failure, "tls", "cannot load --ca " + options.ca_file + ": " + openssl_reason());
    tls_->ssl = SSL_new(tls_->ctx);
    if (!tls_->ssl || SSL_set_fd(tls_->ssl, fd_) != 1) return make_error(Exit::failure, "tls", openssl_reason());
    static const unsigned char kAlpn[] = "\x08http/1.1";
    SSL_set_alpn_protos(tls_->ssl, kAlpn, sizeof kAlpn - 1);
    bool ip = is_ip_literal(host);
    if (!ip) SSL_set_tlsext_host_name(tls_->ssl, host.c_str());
    X509_VERIFY_PARAM* param = SSL_get0_param(tls_->ssl);
    if ((ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) : SSL_set1_host(tls_->ssl, host.c_str())) != 1)
        return make_error(Exit::failure, "tls", "cannot check the certificate against " + host);
    for (;;) {
        int r = SSL_connect(tls_->ssl);
        if (r == 1) break;
        int e = SSL_get_error(tls_->ssl, r);
        short want = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (!want) {
            if (peer_is_not_tls()) {
                ERR_clear_error();
                return make_error(Exit::failure, "tls",
                                  "the endpoint does not speak TLS (a plain ws:// relay? use --emulator or "
                                  "UseDevelopmentEmulator=true)");
            }
            return make_error(Exit::failure, "tls",
                              "handshake failed: " + openssl_reason("the connection closed during the handshake"));
        }
        if (auto st = wait_for(fd_, want, timeout_, "tls", loop_); !st) return st.error();
    }
    TlsPeer p;
    p.protocol = SSL_get_version(tls_->ssl);
    X509* cert = SSL_get1_peer_certificate(tls_->ssl);
    if (cert) {
        p.subject = name_text(X509_get_subject_name(cert));
        p.issuer = name_text(X509_get_issuer_name(cert));
        std::tm tm{};
        if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) p.not_after = timegm(&tm);
        X509_free(cert);
    }
    long v = SSL_get_verify_result(tls_->ssl);
    p.verified = cert && v == X509_V_OK;
    p.verify_error = !cert ? "the server sent no certificate" : v == X509_V_OK ? "" : X509_verify_cert_error_string(v);
    return p;
}

Status Connection::open_tunnel(const ProxyServer& proxy, const std::string& host, std::uint16_t port) {
    if (auto st = write_all(connect_request(proxy, host, port)); !st) return st;
    std::string data;
    for (;;) {
        auto n = read_some(data);
        if (!n) return n.error();
        auto parsed = parse_response_head(data);
        if (parsed.state == ResponseHeadResult::State::error)
            return make_error(Exit::failure, "proxy " + proxy.label(), "malformed answer to CONNECT: " + parsed.error);
        if (parsed.state == ResponseHeadResult::State::complete)
            return check_connect_answer(parsed.head, proxy, host, port);
        if (*n == 0)
            return make_error(Exit::failure, "proxy " + proxy.label(), "closed the connection without answering CONNECT");
    }
}

Status Connection::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        long n;
        if (tls_) {
            int r = SSL_write(tls_->ssl, bytes.data(), static_cast<int>(bytes.size()));
            if (r > 0) {
                n = r;
            } else {
                int e = SSL_get_error(tls_->ssl, r);
                short want = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
                if (!want) return make_error(Exit::failure, "write", openssl_reason());
                if (auto st = wait_for(fd_, want, timeout_, "write", loop_); !st) return st;
                continue;
            }
        } else {
            n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (auto st = wait_for(fd_, POLLOUT, timeout_, "write", loop_); !st) return st;
                continue;
            }
            if (n < 0) return make_error(Exit::failure, "write", std::strerror(errno));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Result<std::size_t> Connection::read_some(std::string& out) {
    char buf[16 * 1024];
    for (;;) {
        if (tls_) {
            int r = SSL_read(tls_->ssl, buf, sizeof buf);
            if (r > 0) {
                out.append(buf, static_cast<std::size_t>(r));
                return static_cast<std::size_t>(r);
            }
            int e = SSL_get_error(tls_->ssl, r);
            if (e == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
            short want = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
            // A peer that closes without close_notify is common in HTTP with
            // Connection: close; the body length tells whether it all came.
            if (e == SSL_ERROR_SYSCALL ||
                (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
                ERR_clear_error();
                return std::size_t{0};
            }
            if (!want) return make_error(Exit::failure, "read", openssl_reason());
            if (auto st = wait_for(fd_, want, timeout_, "read", loop_); !st) return st.error();
            continue;
        }
        long n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            return static_cast<std::size_t>(n);
        }
        if (n == 0) return std::size_t{0};
        if (errno == EAGAIN || errno == EINTR) {
            if (auto st = wait_for(fd_, POLLIN, timeout_, "read", loop_); !st) return st.error();
            continue;
        }
        return make_error(Exit::failure, "read", std::strerror(errno));
    }
}

}  // namespace hyco::probe
