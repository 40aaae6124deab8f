// The one event loop every hyco tool runs on, client or server: a libev
// loop (epoll) that lws runs on as a foreign loop. It owns the lws context
// and vhost (with a listening socket for hyco-relay), dispatches lws
// callbacks to C++ handler objects, runs timers and deferred work, and takes
// the process's signals through a signalfd in the same loop: SIGINT/SIGTERM
// (and SIGUSR1 when asked) as events, SIGCHLD to reap the children it
// watches. No signal handler, no global flag.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libwebsockets.h>

#include "core/base/error.h"
#include "core/http/proxy.h"
#include "core/io/source_address.h"

/// Receives the lws callbacks of the wsi whose opaque user data points at it.
/// Implementations must not throw; the dispatcher turns a throw into -1.
class LwsHandler {
public:
    virtual ~LwsHandler() = default;
    /// Same contract as an lws protocol callback: non-zero closes the wsi.
    virtual int on_lws(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) = 0;
};

struct ssl_ctx_st;  // OpenSSL's SSL_CTX
struct ev_loop;     // libev's loop

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

/// A listening TCP socket (hyco-relay's): every accepted connection is
/// adopted in lws's raw-socket role, so that the owner, not lws, reads the
/// upgrade request; TLS (when cert_file is set) is lws's server TLS.
struct ServerOptions {
    std::string iface;  ///< numeric address to bind
    std::uint16_t port = 0;  ///< 0: any free port (see EventLoop::listen_port)
    bool ipv4_only = false;
    std::string cert_file, key_file;  ///< PEM; empty: plain TCP
    /// Bounds the TLS handshake and the wait for a connection's first bytes.
    std::chrono::seconds setup_timeout{10};
    /// Receives the callbacks of sockets that have no handler yet:
    /// LWS_CALLBACK_FILTER_NETWORK_CONNECTION (non-zero refuses) and
    /// LWS_CALLBACK_RAW_ADOPT, where it installs one with lws_set_opaque_user_data.
    LwsHandler* acceptor = nullptr;
};

struct LoopOptions {
    TlsOptions tls;  ///< for client connections (wss://)
    std::optional<ServerOptions> server;
    /// SIGUSR1 is also taken and reported to the signal hook (hyco-relay's
    /// status report); otherwise it keeps its default action.
    bool status_signal = false;
    /// How many descriptors the loop may hold at once; 0: the process's limit
    /// (`ulimit -n`). lws keeps two tables of 8 bytes per descriptor,
    /// zero-filled at start, so a tool that holds a few gives a bound: a
    /// count, not a highest number (lws then finds a descriptor by a scan).
    std::size_t max_descriptors = 0;
    /// For a loop made for thousands (hyco-relay, hyco-pipe): the highest
    /// descriptor number its sockets may have, plus one; 0: the process's
    /// limit. lws sizes its direct tables (found by number, no scan) by the
    /// limit, and Debian's build scans the whole table at every close (a
    /// sanity check of its debug build): at a limit of 20,000 that was half
    /// of hyco-relay's instructions per connection, and a container's limit of a
    /// million costs 16 MiB and milliseconds per close. A smaller number
    /// sizes the tables instead; lws refuses a socket numbered beyond them
    /// (a failed connection), so the owner must keep that many descriptors
    /// open at most. The process's limit is unchanged (children inherit it).
    std::size_t descriptor_table = 0;
    /// The most a socket's read takes (lws's per-loop read buffer, which it
    /// zero-fills at start, so it is resident even in an idle process):
    /// kSmallReads keeps an idle listener small; the relay and hyco-pipe,
    /// which pass bulk data from socket to socket, take kBulkReads, a
    /// quarter of the reads and loop turns.
    static constexpr std::size_t kSmallReads = 64 * 1024;
    static constexpr std::size_t kBulkReads = 256 * 1024;
    std::size_t read_size = kSmallReads;
    /// lws's own log lines (level bits and sink); none by default.
    int lws_log_level = 0;
    void (*lws_log)(int level, const char* line) = nullptr;
};

/// A one-shot timer on the loop (a libev timer, not an lws_sul: lws 4.1.6
/// re-arms its own timer list only after lws callbacks, see design.md).
/// Cancelled when destroyed, so an owner's timers can never fire after the
/// owner is gone.
class Timer {
public:
    explicit Timer(EventLoop& loop);
    ~Timer();
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    void start(std::chrono::milliseconds delay, std::function<void()> fn);
    void cancel();
    bool pending() const { return pending_; }

private:
    struct Watcher;  // an ev_timer; event_loop.cpp checks that it fits
    Watcher* watcher();
    static void fire(Timer& t);

    EventLoop& loop_;
    alignas(8) unsigned char storage_[56];
    std::function<void()> fn_;
    bool pending_ = false;
};

/// Waits once for a descriptor that stays the caller's to become writable
/// (a socket's connect finishing), with a libev watcher on the descriptor
/// itself. Adopting a duplicate into lws instead would leave epoll watching
/// the socket under the duplicate's number after it is closed: the kernel
/// drops a registration only with the last descriptor of the socket.
class FdWatch {
public:
    explicit FdWatch(EventLoop& loop);
    ~FdWatch();
    FdWatch(const FdWatch&) = delete;
    FdWatch& operator=(const FdWatch&) = delete;

    /// Calls `fn` (from the loop) once `fd` is writable; the watch then stops.
    void writable(int fd, std::function<void()> fn);
    /// Calls `fn` (from the loop) once `fd` is readable, or reports an error
    /// (for a pipe's write end: its reader is gone); the watch then stops.
    void readable(int fd, std::function<void()> fn);
    void stop();

private:
    struct Watcher;  // an ev_io; event_loop.cpp checks that it fits
    Watcher* watcher();
    void watch(int fd, int events, std::function<void()> fn);
    static void fire(FdWatch& w);

    EventLoop& loop_;
    alignas(8) unsigned char storage_[56];
    std::function<void()> fn_;
    bool active_ = false;
};

class EventLoop {
public:
    /// Creates the context and takes SIGINT, SIGTERM and SIGCHLD (blocked,
    /// read from a signalfd) for the rest of the process; SIGPIPE is
    /// ignored so that a closed stdout shows up as EPIPE. Children started
    /// by spawn_shell get the default mask and dispositions back. One loop
    /// per process sees the signals. Errors: Exit::failure.
    static Result<std::unique_ptr<EventLoop>> create(LoopOptions options);
    static Result<std::unique_ptr<EventLoop>> create(const TlsOptions& tls, std::size_t max_descriptors = 0,
                                                     std::size_t read_size = LoopOptions::kSmallReads) {
        LoopOptions o;
        o.tls = tls;
        o.max_descriptors = max_descriptors;
        o.read_size = read_size;
        return create(std::move(o));
    }
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    lws_context* context() const { return context_; }
    lws_vhost* vhost() const { return vhost_; }
    /// The port a server loop listens on (the chosen one when 0 was asked).
    std::uint16_t listen_port() const { return listen_port_; }
    const TlsOptions& tls() const { return tls_; }
    /// The proxies every client connection on this loop goes through
    /// (WsClient asks route() per target); none by default.
    const ProxyConfig& proxy() const { return proxy_; }
    void set_proxy(ProxyConfig proxy) { proxy_ = std::move(proxy); }
    /// The local address client connections (to the relay or the proxy)
    /// are made from; the system's choice when empty.
    const std::optional<SourceAddress>& source_address() const { return source_; }
    void set_source_address(std::optional<SourceAddress> source) { source_ = std::move(source); }
    /// Name of the single protocol every hyco wsi binds to.
    static const char* protocol_name();
    /// Puts `fd` (a socket, pipe or file) on the loop in the raw role, its
    /// events going to `handler`; the wsi owns the fd. nullptr on failure
    /// (the fd is then still the caller's).
    lws* adopt(int fd, LwsHandler* handler);
    /// Puts a connected TCP socket on the loop in lws's raw-socket role: lws
    /// reads it and hands `handler` the bytes (LWS_CALLBACK_RAW_RX), after a
    /// LWS_CALLBACK_RAW_ADOPT that runs before this returns. nullptr on
    /// failure, and lws has then closed the fd.
    lws* adopt_socket(int fd, LwsHandler* handler);
    /// Detaches the handler and has lws close the wsi (and its fd) once the
    /// current callback is over; sets `wsi` to nullptr. No-op when null.
    static void release(lws*& wsi);
    /// Closes the wsi between two turns of the loop, outside every lws
    /// callback; its handler, if it still has one, sees the close. Not an
    /// lws timeout: lws 4.1.6 on libev runs those only when the loop is idle.
    static void kill(lws* wsi);
    /// lws_rx_flow_control: stops (false) or resumes reading `wsi`.
    static void flow(lws* wsi, bool on);
    /// Call after an lws call from outside its callbacks that may schedule
    /// lws's own timers (flow control): the loop then wakes lws once,
    /// so that it arms its timer list (see design.md).
    void touched();
    static void touched(lws* wsi);

    /// Services the loop until `done()` is true (checked after every turn).
    void run_until(const std::function<bool()>& done);
    /// Runs `fn` after the current callback returns (never inside it); the
    /// safe place to destroy the object whose callback is running.
    void defer(std::function<void()> fn);

    /// True once SIGINT or SIGTERM arrived.
    bool interrupted() const { return interrupted_; }
    /// For a blocking wait outside the loop (hyco-probe's timed steps): the
    /// signal descriptor is readable when a signal is pending, and
    /// take_signals() then handles it as the loop would; it returns interrupted().
    int signal_fd() const { return signal_fd_; }
    bool take_signals();
    /// Called from the loop with each SIGINT, SIGTERM (and SIGUSR1 with
    /// LoopOptions::status_signal), after interrupted() is set.
    void on_signal(std::function<void(int signo)> fn) { signal_hook_ = std::move(fn); }

    /// The one reaper: calls `fn` with the child's wait status once `pid`
    /// (our child) has exited, from the loop, woken by SIGCHLD. Nothing else
    /// may wait for a watched child. `fn` is never called inside this call.
    void watch_child(pid_t pid, std::function<void(int wait_status)> fn);
    /// Stops watching `pid` without reaping it now; it is still reaped when
    /// it exits, with nobody told (a child left behind never stays a zombie).
    void forget_child(pid_t pid);

private:
    lws* adopt_as(lws_adoption_type type, int fd, LwsHandler* handler);
    class Signals;
    friend class Timer;
    friend class FdWatch;
    friend int dispatch_callback(lws*, lws_callback_reasons, void*, void*, std::size_t);
    EventLoop() = default;
    void run_deferred();
    void close_killed();
    void take_signal(int signo);
    void reap_children();

    ev_loop* ev_ = nullptr;
    lws_context* context_ = nullptr;
    LwsHandler* acceptor_ = nullptr;
    int depth_ = 0;        ///< lws callbacks under way (dispatch)
    std::vector<lws*> killed_;  ///< to close after this turn (kill); pruned when lws destroys one
    bool touched_ = true;  ///< lws was called outside its callbacks (see touched())
    lws_vhost* vhost_ = nullptr;
    std::uint16_t listen_port_ = 0;
    TlsOptions tls_;
    ProxyConfig proxy_;
    std::optional<SourceAddress> source_;
    std::deque<std::function<void()>> deferred_;
    std::unique_ptr<Signals> signals_;
    int signal_fd_ = -1;  ///< owned by signals_
    bool interrupted_ = false;
    std::function<void(int)> signal_hook_;
    std::map<pid_t, std::function<void(int)>> children_;  ///< an empty function: reap quietly
};

}  // namespace hyco
