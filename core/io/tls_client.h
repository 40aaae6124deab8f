// Client-side TLS for a connection whose bytes lws carries as a raw socket:
// OpenSSL over memory BIOs. lws 4.1.6 cannot start TLS on a raw client
// connection (lws_client_connect_via_info tries the TLS handshake before the
// socket exists and fails), so WsClient encrypts and decrypts itself.
// Trust: the system store plus --ca, host name (or IP) checked, unless the
// insecure opt-out is set; SNI for host names; ALPN offers only http/1.1.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/io/event_loop.h"

namespace hyco {

class TlsClient {
public:
    /// Errors: Exit::failure (cannot set up OpenSSL, unreadable --ca file).
    static Result<std::unique_ptr<TlsClient>> create(const TlsOptions& options, const std::string& host);
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    /// Ciphertext from the socket in; decrypted bytes appended to `plain`.
    /// Errors carry OpenSSL's reason (a failed certificate check, an alert).
    Status receive(std::string_view cipher, std::string& plain);
    /// Plaintext in (may be empty: only drive the handshake); ciphertext to
    /// write appended to `out`. Plaintext is accepted only once handshake_done().
    Status send(std::string_view plain, std::string& out);
    bool handshake_done() const { return done_; }
    /// The handshake resumed an earlier session (a ticket from the pool).
    bool resumed() const;
    /// Ciphertext is waiting to be written (handshake messages, alerts).
    bool has_output() const;

private:
    TlsClient() = default;
    Status step();
    Error failure(const char* what) const;

    struct State;
    std::unique_ptr<State> s_;
    bool done_ = false;
};

/// True when `e`, the failure of a connection attempt, is our check of the
/// server's certificate: a trust or name problem that retrying does not fix.
bool is_certificate_failure(const Error& e);

}  // namespace hyco
