// A client's byte stream to host:port on the event loop, in the phases it
// goes through: TCP (our own non-blocking connect, so that a failure says
// why, then an lws raw socket), then, when the loop's ProxyConfig
// routes the target through an HTTP proxy, the CONNECT tunnel (proxy.h), then
// TLS for wss:// (tls_client.h), then plaintext both ways. The owner (the
// WebSocket client) sees only the last phase: bytes in, bytes out, and one
// report of how the stream ended. Writes go straight to the socket, as much
// as it takes: lws_write would copy what a full socket refuses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/http/proxy.h"
#include "core/io/event_loop.h"
#include "core/io/tls_client.h"
#include "core/io/wire_source.h"

namespace hyco {

class SocketConnector;

class ClientTransport final : public LwsHandler {
public:
    enum class Phase {
        idle,        ///< connect() not called yet
        connecting,  ///< TCP to the target, or to the proxy
        tunnelling,  ///< CONNECT sent to the proxy, its answer awaited
        securing,    ///< TLS handshake
        up,          ///< plaintext flows
        ending,      ///< hang up once what is written is out
        closed,      ///< terminal; transport_closed was called
    };

    class Events {
    public:
        virtual ~Events() = default;
        /// Plaintext can flow (TCP, tunnel and TLS are done).
        virtual void transport_up() = 0;
        virtual void transport_rx(std::string_view plain) = 0;
        /// The socket takes more: write with write() or write_from().
        virtual void transport_writable() = 0;
        /// Terminal, called once: `failure` says what went wrong, if the
        /// transport knows (a refused connection, a TLS alert, a proxy that
        /// hung up); a plain hang-up by either side carries none.
        virtual void transport_closed(std::optional<Error> failure) = 0;
        /// Names the connection in errors ("connect to wss://…"). Asked
        /// for only when there is an error to word: thousands of open
        /// connections need not each keep their address twice.
        virtual std::string transport_what() const = 0;
    };

    ClientTransport(EventLoop& loop, Events& events, std::string host, std::uint16_t port, bool tls);
    ~ClientTransport() override;
    ClientTransport(const ClientTransport&) = delete;
    ClientTransport& operator=(const ClientTransport&) = delete;

    /// Starts connecting; a failure arrives as transport_closed, possibly
    /// before this returns.
    void connect();
    /// Queues plaintext and writes what the socket takes. False on failure
    /// (the connection then ends with it).
    bool write(std::string_view plain);
    /// Writes up to `budget` bytes from `source` once earlier writes are
    /// out. False on failure.
    bool write_from(WireSource& source, std::size_t budget);
    /// Writes up to `budget` bytes from `source` now if the connection is
    /// up in clear and nothing written earlier waits; never calls back. A
    /// failure ends the connection from the next WRITEABLE, so the caller
    /// asks for one (want_write) whenever `source` still has bytes.
    void write_now(WireSource& source, std::size_t budget);
    /// Asks for transport_writable when the socket takes more.
    void want_write();
    /// Stops (false) or resumes (true) reading from the socket.
    void read(bool on);
    /// Hang up once everything written is out.
    void end();
    /// Hang up now. With no socket yet, transport_closed runs before this
    /// returns.
    void abort();

    Phase phase() const { return phase_; }
    /// Everything written is out.
    bool flushed() const { return wire_head_ == wire_.size(); }
    /// TCP reached the target itself (through the tunnel, if any): a hang-up
    /// since then is the target's.
    bool reached_target() const { return reached_target_; }
    /// The proxy the route goes through, once connect() has chosen it.
    const std::optional<ProxyServer>& proxy() const { return proxy_; }

    int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) override;

private:
    void tcp_done(Result<int> fd);
    int on_connected(lws* wsi);
    int on_writeable();
    int on_rx(std::string_view bytes);
    int on_proxy_rx(std::string_view bytes);
    int after_events();
    void become_up();
    bool send_wire();
    void failed(Error e);
    /// Records the failure of a write that failed with `err` (an errno).
    void write_failed(int err);
    void closed(std::optional<Error> failure);
    Error connection_error(std::string why) const;

    EventLoop& loop_;
    Events& events_;
    std::string host_;
    std::uint16_t port_;
    bool tls_wanted_;
    Phase phase_ = Phase::idle;
    lws* wsi_ = nullptr;
    std::unique_ptr<SocketConnector> connector_;  ///< while TCP connects
    std::optional<ProxyServer> proxy_;
    std::unique_ptr<TlsClient> tls_;
    std::string proxy_head_;  // the proxy's answer to CONNECT so far
    std::string plain_;       // a batch of queued frames, for TLS
    std::string tls_in_;      // plaintext just decrypted
    std::string wire_;        // bytes for the socket (ciphertext with TLS)
    std::size_t wire_head_ = 0;  // how much of wire_ the socket took
    bool reached_target_ = false;
    bool aborted_ = false;
    std::optional<Error> failure_;
};

}  // namespace hyco
