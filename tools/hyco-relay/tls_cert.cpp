// Self-signed certificate generation with OpenSSL 3's EVP and X509 APIs.
#include "tools/hyco-relay/tls_cert.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/base/text.h"

namespace hyco::relay {
namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(FILE* f) const { std::fclose(f); }
};

Error fail(const std::string& why) { return make_error(Exit::failure, "generating a TLS certificate", why); }

bool is_ip(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

Result<GeneratedCert> generate_self_signed(const std::string& host) {
    std::unique_ptr<EVP_PKEY, Free> key(EVP_EC_gen("P-256"));
    if (!key) return fail("EC key generation failed");
    std::unique_ptr<X509, Free> cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    std::string san = (is_ip(host) ? "IP:" : "DNS:") + host;
    if (host != "localhost") san += ",DNS:localhost";
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
    if (!ext) return fail("cannot build subjectAltName " + san);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    if (!X509_sign(cert.get(), key.get(), EVP_sha256())) return fail("signing failed");

    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/hyco-relay-tls.XXXXXX";
    if (!mkdtemp(templ.data())) return fail("cannot create a temporary directory");
    GeneratedCert out{templ, templ + "/cert.pem", templ + "/key.pem"};
    std::unique_ptr<FILE, Free> cf(std::fopen(out.cert_file.c_str(), "w"));
    std::unique_ptr<FILE, Free> kf(std::fopen(out.key_file.c_str(), "w"));
    if (!cf || !kf || !PEM_write_X509(cf.get(), cert.get()) ||
        !PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        cf.reset();
        kf.reset();
        remove_generated(out);
        return fail("cannot write the PEM files");
    }
    return out;
}

Status check_tls_files(const std::string& cert_file, const std::string& key_file) {
    auto bad = [](const char* option, const std::string& file, const std::string& why) {
        return make_error(Exit::usage, fmt::format("cannot use {} {}", option, text::quote(file, 200)), why);
    };
    std::unique_ptr<FILE, Free> cf(std::fopen(cert_file.c_str(), "r"));
    if (!cf) return bad("--cert", cert_file, std::strerror(errno));
    std::unique_ptr<X509, Free> cert(PEM_read_X509(cf.get(), nullptr, nullptr, nullptr));
    if (!cert) return bad("--cert", cert_file, "not a PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    std::unique_ptr<FILE, Free> kf(std::fopen(key_file.c_str(), "r"));
    if (!kf) return bad("--key", key_file, std::strerror(errno));
    // No passphrase callback: an encrypted key cannot be used unattended.
    std::unique_ptr<EVP_PKEY, Free> key(PEM_read_PrivateKey(kf.get(), nullptr, [](char*, int, int, void*) { return 0; },
                                                            nullptr));
    ERR_clear_error();
    if (!key) return bad("--key", key_file, "not an unencrypted PEM private key");
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        return bad("--key", key_file, fmt::format("the key does not belong to the certificate in {}", cert_file));
    }
    return {};
}

void remove_generated(const GeneratedCert& c) {
    if (c.dir.empty()) return;
    ::unlink(c.cert_file.c_str());
    ::unlink(c.key_file.c_str());
    ::rmdir(c.dir.c_str());
}

}  // namespace hyco::relay
