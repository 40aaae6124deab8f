// The one libwebsockets context a client tool runs on: it owns the lws
// context and vhost, dispatches lws callbacks to C++ handler objects, runs
// timers and deferred work, and turns SIGINT/SIGTERM into a flag.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <libwebsockets.h>

#include "core/base/error.h"
#include "core/http/proxy.h"

/// Receives the lws callbacks of the wsi whose opaque user data points at it.
/// Implementations must not throw; the dispatcher turns a throw into -1.
class LwsHandler {
public:
    virtual ~LwsHandler() = default;
    /// Same contract as an lws protocol callback: non-zero closes the wsi.
    virtual int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) = 0;
};

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace hyco {

struct TlsSessionPool;  // tls_client.cpp

/// The OpenSSL context built from a TlsOptions at its first wss://
/// connection (TlsClient::create) and shared by every later one: parsing the
/// system CA store costs milliseconds of CPU, paid once per process rather
/// than once per connection, and never by a tool that only speaks ws://.
/// It also keeps the session tickets servers hand out, so that the next
/// connection to the same host resumes instead of a full handshake.
struct TlsContextSlot {
    ssl_ctx_st* ctx = nullptr;
    std::unique_ptr<TlsSessionPool> sessions;
    TlsContextSlot();
    TlsContextSlot(const TlsContextSlot&) = delete;
    TlsContextSlot& operator=(const TlsContextSlot&) = delete;
    ~TlsContextSlot();  // in tls_client.cpp, with the rest of OpenSSL
};

/// TLS settings shared by every connection a tool makes. Copies share the
/// context built from them: set the fields before the first connection.
struct TlsOptions {
    std::string ca_file;    ///< extra trust anchors (PEM); empty: system store only
    bool insecure = false;  ///< skip certificate and host name verification
    std::shared_ptr<TlsContextSlot> context = std::make_shared<TlsContextSlot>();
};

class EventLoop;

/// A one-shot timer on an lws loop (an lws_sul): a tool's EventLoop, or
/// hyco-relay's server context. Cancelled when destroyed, so an owner's
/// timers can never fire after the owner is gone.
class Timer {
public:
    explicit Timer(EventLoop& loop);
    explicit Timer(lws_context* context);
    ~Timer();
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    void start(std::chrono::milliseconds delay, std::function<void()> fn);
    void cancel();
    bool pending() const { return pending_; }

private:
    static void fire(lws_sorted_usec_list_t* sul);

    struct Node {
        lws_sorted_usec_list_t sul;  // first member: fire() casts back
        Timer* owner;
    };
    lws_context* context_;
    Node node_{};
    std::function<void()> fn_;
    bool pending_ = false;
};

class EventLoop {
public:
    /// Creates the context (client only, no listening port). Errors: Exit::failure.
    static Result<std::unique_ptr<EventLoop>> create(const TlsOptions& tls);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    lws_context* context() const { return context_; }
    lws_vhost* vhost() const { return vhost_; }
    const TlsOptions& tls() const { return tls_; }
    /// The proxies every client connection on this loop goes through
    /// (WsClient asks route() per target); none by default.
    const ProxyConfig& proxy() const { return proxy_; }
    void set_proxy(ProxyConfig proxy) { proxy_ = std::move(proxy); }
    /// Name of the single protocol every hyco wsi binds to.
    static const char* protocol_name();
    /// Puts `fd` (a socket, pipe or file) on the loop in the raw role, its
    /// events going to `handler`; the wsi owns the fd. nullptr on failure
    /// (the fd is then still the caller's).
    lws* adopt(int fd, LwsHandler* handler);
    /// Detaches the handler and has lws close the wsi (and its fd) once the
    /// current callback is over; sets `wsi` to nullptr. No-op when null.
    static void release(lws*& wsi);

    /// Services the loop until `done()` is true (checked after every poll).
    void run_until(const std::function<bool()>& done);
    /// Runs `fn` after the current callback returns (never inside it); the
    /// safe place to destroy the object whose callback is running.
    void defer(std::function<void()> fn);

    /// True once SIGINT or SIGTERM arrived (see install_signal_handlers).
    static bool interrupted();
    /// SIGINT/SIGTERM set a process-wide atomic flag (the one piece of static
    /// state: a signal handler has nowhere else to write); SIGPIPE is ignored
    /// so a closed stdout shows up as EPIPE.
    static void install_signal_handlers();

private:
    EventLoop() = default;
    void run_deferred();

    lws_context* context_ = nullptr;
    lws_vhost* vhost_ = nullptr;
    TlsOptions tls_;
    ProxyConfig proxy_;
    std::deque<std::function<void()>> deferred_;
    std::unique_ptr<Timer> tick_;
};

}  // namespace hyco
