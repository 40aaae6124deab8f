// Small OpenSSL helpers shared by the TLS clients (core's TlsClient and
// hyco-probe's own handshake): error text, the "this is not TLS" signature,
// and whether a host is an address (checked as an IP, given no SNI).
#pragma once

#include <string>

namespace hyco {

/// OpenSSL's first queued error as text (the queue is cleared), or `fallback`.
std::string openssl_reason(const char* fallback = "TLS failure");

/// True when OpenSSL's queued error means the peer answered a ClientHello in
/// clear text (a plain HTTP server reads as a wrong version or a huge record).
bool peer_is_not_tls();

/// True for an IPv4 or IPv6 literal.
bool is_ip_literal(const std::string& host);

}  // namespace hyco
