// lws context ownership and callback dispatch. One protocol serves every wsi
// (WebSocket clients, accepted sockets and adopted file descriptors); the
// wsi's opaque user data names the C++ object that handles it.
#include "core/io/event_loop.h"

#include <ev.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "core/io/plugin_lookup.h"

namespace hyco {
namespace {

/// lws's vhost reads http_proxy and socks_proxy when it is created and would
/// then send its own CONNECT for every client connection, on top of the
/// tunnel WsClient opens to the proxy proxy.h chose. The variables are hidden
/// while the context is made and put back at once (children still see them).
class HiddenProxyVariables {
public:
    HiddenProxyVariables() {
        for (std::size_t i = 0; i < kNames.size(); ++i)
            if (const char* v = std::getenv(kNames[i])) {
                saved_[i] = v;
                ::unsetenv(kNames[i]);
            }
    }
    ~HiddenProxyVariables() {
        for (std::size_t i = 0; i < kNames.size(); ++i)
            if (saved_[i]) ::setenv(kNames[i], saved_[i]->c_str(), 1);
    }
    HiddenProxyVariables(const HiddenProxyVariables&) = delete;
    HiddenProxyVariables& operator=(const HiddenProxyVariables&) = delete;

private:
    static constexpr std::array<const char*, 2> kNames{"http_proxy", "socks_proxy"};
    std::array<std::optional<std::string>, 2> saved_;
};

/// lws sizes its descriptor tables by the soft RLIMIT_NOFILE it reads while
/// the context is made (sysconf(_SC_OPEN_MAX)): a smaller table lowers the
/// soft limit for that moment only and puts it back (see
/// LoopOptions::descriptor_table).
class DescriptorTableScope {
public:
    explicit DescriptorTableScope(std::size_t entries) {
        if (entries == 0 || ::getrlimit(RLIMIT_NOFILE, &saved_) != 0 || saved_.rlim_cur == RLIM_INFINITY ||
            entries >= saved_.rlim_cur)
            return;
        rlimit lower = saved_;
        lower.rlim_cur = entries;
        lowered_ = ::setrlimit(RLIMIT_NOFILE, &lower) == 0;
    }
    ~DescriptorTableScope() {
        if (lowered_) ::setrlimit(RLIMIT_NOFILE, &saved_);
    }
    DescriptorTableScope(const DescriptorTableScope&) = delete;
    DescriptorTableScope& operator=(const DescriptorTableScope&) = delete;

private:
    rlimit saved_{};
    bool lowered_ = false;
};

void quiet_log(int, const char*) {}

EventLoop* loop_of(lws* wsi) { return static_cast<EventLoop*>(lws_context_user(lws_get_context(wsi))); }

}  // namespace

int dispatch_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
int dispatch_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
    EventLoop* loop = loop_of(wsi);
    // A wsi lws destroys by itself must not be closed again later.
    if (reason == LWS_CALLBACK_WSI_DESTROY && loop && !loop->killed_.empty()) std::erase(loop->killed_, wsi);
    auto* h = static_cast<LwsHandler*>(lws_get_opaque_user_data(wsi));
    if (!h && loop && (reason == LWS_CALLBACK_FILTER_NETWORK_CONNECTION || reason == LWS_CALLBACK_RAW_ADOPT))
        h = loop->acceptor_;
    if (!h) return lws_callback_http_dummy(wsi, reason, user, in, len);
    if (loop) ++loop->depth_;
    int rc;
    try {
        rc = h->on_lws(wsi, reason, in, len);
    } catch (...) {
        rc = -1;  // no exception may cross the C frames of lws
    }
    if (loop) --loop->depth_;
    return rc;
}

namespace {

const lws_protocols kProtocols[] = {
    {"hyco", dispatch_callback, 0, 64 * 1024, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

}  // namespace

/// The signalfd on the loop: blocked signals arrive as readable records.
/// Watched by libev itself, not adopted into lws: lws 4.1.6 offers every
/// adopted file to a server vhost's accept role first (hyco-relay's raw-skt)
/// and logs a warning each time that role declines it.
class EventLoop::Signals {
public:
    Signals(EventLoop& loop, int fd) : loop_(loop), fd_(fd), watch_(loop) {}
    ~Signals() {
        watch_.stop();
        ::close(fd_);
    }
    Signals(const Signals&) = delete;
    Signals& operator=(const Signals&) = delete;
    /// The watch is one-shot: each wake-up reads every record, then re-arms.
    void watch() {
        watch_.readable(fd_, [this] {
            loop_.take_signals();
            watch();
        });
    }

private:
    EventLoop& loop_;
    int fd_;
    FdWatch watch_;
};

lws* EventLoop::adopt_as(lws_adoption_type type, int fd, LwsHandler* handler) {
    lws_adopt_desc_t desc;
    std::memset(&desc, 0, sizeof desc);
    desc.vh = vhost_;
    desc.type = type;
    if (type & LWS_ADOPT_SOCKET) desc.fd.sockfd = fd;
    else desc.fd.filefd = fd;
    desc.vh_prot_name = protocol_name();
    desc.opaque = handler;
    return lws_adopt_descriptor_vhost_via_info(&desc);
}

lws* EventLoop::adopt(int fd, LwsHandler* handler) { return adopt_as(LWS_ADOPT_RAW_FILE_DESC, fd, handler); }

lws* EventLoop::adopt_socket(int fd, LwsHandler* handler) { return adopt_as(LWS_ADOPT_SOCKET, fd, handler); }

void EventLoop::release(lws*& wsi) {
    if (!wsi) return;
    lws_set_opaque_user_data(wsi, nullptr);
    kill(wsi);
    wsi = nullptr;
}

void EventLoop::kill(lws* wsi) {
    if (EventLoop* loop = loop_of(wsi)) loop->killed_.push_back(wsi);
}

void EventLoop::close_killed() {
    // Each close may destroy other wsis (pruned from the list by dispatch)
    // or kill more (appended): take one at a time.
    while (!killed_.empty()) {
        lws* wsi = killed_.back();
        killed_.pop_back();
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
    }
}

void EventLoop::flow(lws* wsi, bool on) {
    lws_rx_flow_control(wsi, on ? 1 : 0);
    touched(wsi);
}

void EventLoop::touched() {
    if (depth_ == 0) touched_ = true;
}

void EventLoop::touched(lws* wsi) {
    if (EventLoop* loop = loop_of(wsi)) loop->touched();
}

const char* EventLoop::protocol_name() { return kProtocols[0].name; }

struct Timer::Watcher {
    ev_timer timer;
};

Timer::Timer(EventLoop& loop) : loop_(loop) {
    static_assert(sizeof(Watcher) <= sizeof storage_ && alignof(Watcher) <= 8);
    auto* w = ::new (storage_) Watcher{};
    ev_init(&w->timer, [](struct ev_loop*, ev_timer* t, int) { fire(*static_cast<Timer*>(t->data)); });
    w->timer.data = this;
}

Timer::~Timer() {
    cancel();
    watcher()->~Watcher();
}

Timer::Watcher* Timer::watcher() { return std::launder(reinterpret_cast<Watcher*>(storage_)); }

void Timer::start(std::chrono::milliseconds delay, std::function<void()> fn) {
    fn_ = std::move(fn);
    pending_ = true;
    ev_timer* t = &watcher()->timer;
    ev_timer_stop(loop_.ev_, t);
    // The loop's clock is the time its turn began, maybe long ago.
    ev_now_update(loop_.ev_);
    ev_timer_set(t, static_cast<ev_tstamp>(delay.count()) / 1000.0, 0.0);
    ev_timer_start(loop_.ev_, t);
}

void Timer::cancel() {
    if (!pending_) return;
    pending_ = false;
    ev_timer_stop(loop_.ev_, &watcher()->timer);
}

void Timer::fire(Timer& t) {
    t.pending_ = false;
    auto fn = t.fn_;  // fn may restart or destroy the timer
    if (fn) fn();
}

struct FdWatch::Watcher {
    ev_io io;
};

FdWatch::FdWatch(EventLoop& loop) : loop_(loop) {
    static_assert(sizeof(Watcher) <= sizeof storage_ && alignof(Watcher) <= 8);
    auto* w = ::new (storage_) Watcher{};
    ev_init(&w->io, [](struct ev_loop*, ev_io* io, int) { fire(*static_cast<FdWatch*>(io->data)); });
    w->io.data = this;
}

FdWatch::~FdWatch() {
    stop();
    watcher()->~Watcher();
}

FdWatch::Watcher* FdWatch::watcher() { return std::launder(reinterpret_cast<Watcher*>(storage_)); }

void FdWatch::writable(int fd, std::function<void()> fn) { watch(fd, EV_WRITE, std::move(fn)); }

void FdWatch::readable(int fd, std::function<void()> fn) { watch(fd, EV_READ, std::move(fn)); }

void FdWatch::watch(int fd, int events, std::function<void()> fn) {
    stop();
    fn_ = std::move(fn);
    active_ = true;
    ev_io_set(&watcher()->io, fd, events);
    ev_io_start(loop_.ev_, &watcher()->io);
}

void FdWatch::stop() {
    if (!active_) return;
    active_ = false;
    ev_io_stop(loop_.ev_, &watcher()->io);
}

void FdWatch::fire(FdWatch& w) {
    w.stop();
    auto fn = std::move(w.fn_);  // fn may destroy the watch
    if (fn) fn();
}

Result<std::unique_ptr<EventLoop>> EventLoop::create(LoopOptions options) {
    lws_set_log_level(options.lws_log ? options.lws_log_level : LLL_ERR,
                      options.lws_log ? options.lws_log : quiet_log);
    std::unique_ptr<EventLoop> loop(new EventLoop());
    loop->tls_ = options.tls;
    const TlsOptions& tls = loop->tls_;
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGCHLD}) sigaddset(&set, s);
    if (options.status_signal) sigaddset(&set, SIGUSR1);
    // Blocked before anything else: a signal that comes while the context is
    // made waits in the signalfd instead of killing the process.
    sigset_t before;
    sigprocmask(SIG_BLOCK, &set, &before);
    std::signal(SIGPIPE, SIG_IGN);
    int sfd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    // Without a loop nobody would read the blocked signals: give them back.
    auto fail = [&](std::string why) -> Error {
        if (sfd >= 0) ::close(sfd);
        sigprocmask(SIG_SETMASK, &before, nullptr);
        return make_error(Exit::failure, "event loop", std::move(why));
    };
    if (sfd < 0) return fail(std::string("signalfd: ") + std::strerror(errno));

    // epoll, not poll(): with thousands of connections open, poll() passes
    // and scans every descriptor on every turn. libev, unlike epoll itself
    // and libuv, also takes regular files (stdin from a file), which it
    // reports as always ready, as poll() does. Its signal handling stays off:
    // signals come through the signalfd.
    loop->ev_ = ev_loop_new(unsigned{EVBACKEND_EPOLL} | unsigned{EVFLAG_NOENV} | unsigned{EVFLAG_NOSIGMASK});
    if (!loop->ev_) return fail(std::string("cannot create the epoll loop: ") + std::strerror(errno));
    void* foreign[] = {loop->ev_};

    lws_context_creation_info info;
    std::memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.options |= LWS_SERVER_OPTION_LIBEV;
    info.foreign_loops = foreign;
    info.user = loop.get();
    info.protocols = kProtocols;
    info.gid = -1;
    info.uid = -1;
    info.timeout_secs = 120;  // our own timers enforce the connect timeout
    // A bound only below the process's limit: above it lws would size its
    // tables by the bound instead of the limit.
    rlimit nofile{};
    if (options.max_descriptors && ::getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
        options.max_descriptors < nofile.rlim_cur &&
        options.max_descriptors < static_cast<std::size_t>(std::numeric_limits<int>::max()))  // lws reads an int
        info.fd_limit_per_thread = static_cast<unsigned>(options.max_descriptors);
    // Raw sockets read at most this much per RX callback (4 KiB by default).
    info.pt_serv_buf_size = static_cast<unsigned>(std::max<std::size_t>(options.read_size, 4096));
    // hyco does its own client TLS (tls_client.*): an lws client TLS context
    // would only parse the system CA bundle at every start, most of a short
    // connection's CPU. With --ca, lws still loads that file, so that an
    // unreadable one fails at start rather than at the first wss:// connection.
    if (!tls.ca_file.empty()) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.client_ssl_ca_filepath = tls.ca_file.c_str();
    }
    if (const auto& srv = options.server) {
        loop->acceptor_ = srv->acceptor;  // where dispatch sends a new socket's callbacks
        info.port = srv->port;
        // lws 4.1.6 takes iface as an interface name or a numeric address, but
        // with IPv6 enabled it writes an IPv4 literal into an IPv6 socket
        // address at the wrong offset (lws_interface_to_sa) and binds [::]:
        // every interface. An IPv4 address therefore gets an IPv4-only vhost.
        info.iface = srv->iface.c_str();
        if (srv->ipv4_only) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
        // Accepted sockets go to the raw role: lws cannot hold a ws upgrade open.
        info.options |= LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG;
        info.listen_accept_role = "raw-skt";
        info.listen_accept_protocol = kProtocols[0].name;
        // lws's connection-setup timeout: in the raw role it bounds the TLS
        // handshake and the wait for the first bytes after it, which the
        // owner then clears (lws_set_timeout NO_PENDING_TIMEOUT).
        info.timeout_secs = static_cast<unsigned>(srv->setup_timeout.count());
        if (!srv->cert_file.empty()) {
            info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
            info.ssl_cert_filepath = srv->cert_file.c_str();
            info.ssl_private_key_filepath = srv->key_file.c_str();
            // Offer only HTTP/1.1: an h2 ALPN choice would hand the socket to lws's h2 role.
            info.alpn = "http/1.1";
        }
    }
    {
        HiddenProxyVariables hidden;
        PluginLookupScope plugin_lookup;
        DescriptorTableScope table(options.descriptor_table);
        loop->context_ = lws_create_context(&info);
    }
    if (!loop->context_) {
        if (options.server) return fail("cannot listen (or the TLS files are unusable)");
        return fail(tls.ca_file.empty() ? "cannot create the libwebsockets context (is its libev plugin, "
                                          "package libwebsockets-evlib-ev, installed?)"
                                        : "cannot create the TLS context (is --ca " + tls.ca_file +
                                              " a readable PEM file?)");
    }
    loop->vhost_ = lws_get_vhost_by_name(loop->context_, "default");
    if (!loop->vhost_) return fail("no default vhost");
    if (options.server) {
        int port = lws_get_vhost_listen_port(loop->vhost_);
        if (port <= 0) return fail("no listening port");
        loop->listen_port_ = static_cast<std::uint16_t>(port);
    }
    loop->signals_ = std::make_unique<Signals>(*loop, sfd);  // owns sfd from here
    loop->signals_->watch();
    loop->signal_fd_ = sfd;
    return loop;
}

EventLoop::~EventLoop() {
    signals_.reset();
    // Deferred work refers to objects that are gone by now: drop it.
    deferred_.clear();
    // lws stops its watchers on the foreign loop, which goes after it.
    if (context_) lws_context_destroy(context_);
    if (ev_) ev_loop_destroy(ev_);
}

void EventLoop::run_until(const std::function<bool()>& done) {
    touched_ = true;  // whatever the caller set up ran outside the loop
    for (;;) {
        run_deferred();
        close_killed();
        if (!deferred_.empty()) continue;  // a close may defer work
        if (done()) return;
        // done() itself may have deferred work (an abort on Ctrl-C) or
        // killed a wsi: do that before waiting.
        if (!deferred_.empty() || !killed_.empty()) continue;
        // lws 4.1.6 on libev arms its timer list (its connect and setup
        // timeouts) only from its own watchers: a call from outside a
        // callback since the last turn (touched()) gets lws woken once.
        if (touched_) {
            touched_ = false;
            lws_cancel_service(context_);
        }
        // One turn: wait for the first event or timer, handle all that are
        // ready, return, so that deferred work and done() come next.
        ev_run(ev_, EVRUN_ONCE);
    }
}

void EventLoop::defer(std::function<void()> fn) { deferred_.push_back(std::move(fn)); }

void EventLoop::run_deferred() {
    while (!deferred_.empty()) {
        auto fn = std::move(deferred_.front());
        deferred_.pop_front();
        fn();
    }
}

bool EventLoop::take_signals() {
    signalfd_siginfo si;
    bool child = false;
    while (::read(signal_fd_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
        if (si.ssi_signo == SIGCHLD) child = true;
        else take_signal(static_cast<int>(si.ssi_signo));
    }
    if (child) reap_children();
    return interrupted_;
}

void EventLoop::take_signal(int signo) {
    if (signo != SIGUSR1) interrupted_ = true;
    if (signal_hook_) signal_hook_(signo);
}

void EventLoop::watch_child(pid_t pid, std::function<void(int)> fn) {
    children_[pid] = std::move(fn);
    // It may have exited before it was watched, its SIGCHLD already read.
    defer([this] { reap_children(); });
}

void EventLoop::forget_child(pid_t pid) {
    auto it = children_.find(pid);
    if (it != children_.end()) it->second = nullptr;
}

void EventLoop::reap_children() {
    std::vector<pid_t> pids;
    for (const auto& [pid, fn] : children_) pids.push_back(pid);
    for (pid_t pid : pids) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == 0 || (r < 0 && errno == EINTR)) continue;
        auto it = children_.find(pid);
        if (it == children_.end()) continue;
        auto fn = std::move(it->second);
        children_.erase(it);
        // ECHILD: not ours to wait for after all; report a plain exit.
        if (fn) fn(r == pid ? status : 0);
    }
}

}  // namespace hyco
