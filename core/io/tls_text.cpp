// OpenSSL helpers (see tls_text.h).
#include "core/io/tls_text.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace hyco {

std::string openssl_reason(const char* fallback) {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (!e) return fallback;
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

bool peer_is_not_tls() {
    int reason = ERR_GET_REASON(ERR_peek_error());
    return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
           reason == SSL_R_HTTP_REQUEST;
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace hyco
