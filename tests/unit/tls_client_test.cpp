// TlsClient against an in-process OpenSSL server over memory: certificate
// checks and session resumption through the context's ticket pool.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>

#include "core/io/tls_client.h"

using namespace hyco;

namespace {

/// A server context with a fresh self-signed P-256 certificate for the DNS
/// names a.test and b.test, written to a PEM file the client trusts.
struct Server {
    SSL_CTX* ctx = nullptr;
    std::string cert_file;

    Server() {
        EVP_PKEY* key = EVP_EC_gen("P-256");
        X509* cert = X509_new();
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert), -60);
        X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
        X509_set_pubkey(cert, key);
        X509_NAME* name = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("a.test"), -1, -1, 0);
        X509_set_issuer_name(cert, name);
        X509V3_CTX v3;
        X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
        X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:a.test,DNS:b.test");
        X509_add_ext(cert, san, -1);
        X509_EXTENSION_free(san);
        X509_sign(cert, key, EVP_sha256());

        char path[] = "/tmp/hyco-tls-test-XXXXXX";
        int fd = ::mkstemp(path);
        REQUIRE(fd >= 0);
        cert_file = path;
        FILE* f = ::fdopen(fd, "w");
        PEM_write_X509(f, cert);
        std::fclose(f);

        ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_use_certificate(ctx, cert);
        SSL_CTX_use_PrivateKey(ctx, key);
        X509_free(cert);
        EVP_PKEY_free(key);
    }
    ~Server() {
        SSL_CTX_free(ctx);
        ::unlink(cert_file.c_str());
    }
};

/// Runs one connection's handshake to the end, tickets included; false if
/// the client reported an error.
bool connect_once(Server& server, const TlsOptions& options, const std::string& host, bool& resumed) {
    auto client = TlsClient::create(options, host);
    REQUIRE(client);
    SSL* ssl = SSL_new(server.ctx);
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, in, out);
    SSL_set_accept_state(ssl);
    bool ok = true;
    std::string plain;
    for (int round = 0; round < 8 && ok; ++round) {
        std::string to_server;
        ok = static_cast<bool>((*client)->send("", to_server));
        BIO_write(in, to_server.data(), static_cast<int>(to_server.size()));
        if (!SSL_is_init_finished(ssl)) SSL_do_handshake(ssl);
        std::string to_client(static_cast<std::size_t>(BIO_ctrl_pending(out)), '\0');
        if (!to_client.empty()) BIO_read(out, to_client.data(), static_cast<int>(to_client.size()));
        if (ok) ok = static_cast<bool>((*client)->receive(to_client, plain));
    }
    ok = ok && (*client)->handshake_done() && SSL_is_init_finished(ssl);
    resumed = (*client)->resumed();
    SSL_free(ssl);
    return ok;
}

/// A server and client options that trust its certificate.
struct Pair {
    Server server;
    TlsOptions options;
    bool resumed = false;
    Pair() { options.ca_file = server.cert_file; }
    bool connect(const std::string& host) { return connect_once(server, options, host, resumed); }
};

}  // namespace

TEST_CASE("a second connection to the same host resumes; another host does not") {
    Pair p;
    REQUIRE(p.connect("a.test"));
    CHECK_FALSE(p.resumed);
    REQUIRE(p.connect("a.test"));
    CHECK(p.resumed);
    // A copy of the options shares the context and its tickets.
    TlsOptions copy = p.options;
    bool resumed = false;
    REQUIRE(connect_once(p.server, copy, "a.test", resumed));
    CHECK(resumed);
    // Tickets are per host: b.test's first connection is a full handshake.
    REQUIRE(p.connect("b.test"));
    CHECK_FALSE(p.resumed);
    // Separate options, separate context: nothing to resume.
    TlsOptions other;
    other.ca_file = p.server.cert_file;
    REQUIRE(connect_once(p.server, other, "a.test", resumed));
    CHECK_FALSE(resumed);
}

TEST_CASE("many connections keep resuming: each one brings a new ticket") {
    Pair p;
    REQUIRE(p.connect("a.test"));
    int resumptions = 0;
    for (int i = 0; i < 40; ++i) {
        REQUIRE(p.connect("a.test"));
        resumptions += p.resumed ? 1 : 0;
    }
    CHECK(resumptions == 40);
}

TEST_CASE("a host name the certificate does not carry fails, before and after tickets exist") {
    Pair p;
    CHECK_FALSE(p.connect("c.test"));
    REQUIRE(p.connect("a.test"));
    CHECK_FALSE(p.connect("c.test"));
}
