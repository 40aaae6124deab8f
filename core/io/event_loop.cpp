// lws context ownership and callback dispatch. One protocol serves every wsi
// (WebSocket clients, accepted sockets and adopted file descriptors); the
// wsi's opaque user data names the C++ object that handles it.
#include "core/io/event_loop.h"

#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

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

int dispatch(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
    auto* h = static_cast<LwsHandler*>(lws_get_opaque_user_data(wsi));
    if (!h && (reason == LWS_CALLBACK_FILTER_NETWORK_CONNECTION || reason == LWS_CALLBACK_RAW_ADOPT))
        h = static_cast<LwsHandler*>(lws_context_user(lws_get_context(wsi)));
    switch (reason) {
        case LWS_CALLBACK_RAW_CLOSE:
        case LWS_CALLBACK_RAW_CLOSE_FILE:
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        case LWS_CALLBACK_WSI_DESTROY:
            // Closes also come from lws's timeouts, which it runs before it
            // polls in the same lws_service call: end that poll, so that
            // run_until sees what the close changed (as Timer::fire does).
            lws_cancel_service(lws_get_context(wsi));
            break;
        default:
            break;
    }
    if (!h) return lws_callback_http_dummy(wsi, reason, user, in, len);
    try {
        return h->on_lws(wsi, reason, in, len);
    } catch (...) {
        return -1;  // no exception may cross the C frames of lws
    }
}

const lws_protocols kProtocols[] = {
    {"hyco", dispatch, 0, 64 * 1024, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

void quiet_log(int, const char*) {}

}  // namespace

/// The signalfd on the loop: blocked signals arrive as readable records.
class EventLoop::Signals final : public LwsHandler {
public:
    Signals(EventLoop& loop, int fd) : loop_(loop), fd_(fd) {}
    ~Signals() override { EventLoop::release(wsi_); }
    bool watch() {
        wsi_ = loop_.adopt(fd_, this);
        return wsi_ != nullptr;
    }
    int on_lws(lws*, lws_callback_reasons reason, void*, std::size_t) override {
        if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) wsi_ = nullptr;
        if (reason == LWS_CALLBACK_RAW_RX_FILE) loop_.take_signals();
        return 0;
    }

private:
    EventLoop& loop_;
    int fd_;
    lws* wsi_ = nullptr;
};

lws* EventLoop::adopt(int fd, LwsHandler* handler) {
    lws_adopt_desc_t desc;
    std::memset(&desc, 0, sizeof desc);
    desc.vh = vhost_;
    desc.type = LWS_ADOPT_RAW_FILE_DESC;
    desc.fd.filefd = fd;
    desc.vh_prot_name = protocol_name();
    desc.opaque = handler;
    return lws_adopt_descriptor_vhost_via_info(&desc);
}

void EventLoop::release(lws*& wsi) {
    if (!wsi) return;
    lws_set_opaque_user_data(wsi, nullptr);
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    wsi = nullptr;
}

const char* EventLoop::protocol_name() { return kProtocols[0].name; }

Timer::Timer(EventLoop& loop) : context_(loop.context()) { node_.owner = this; }

Timer::~Timer() { cancel(); }

void Timer::start(std::chrono::milliseconds delay, std::function<void()> fn) {
    fn_ = std::move(fn);
    pending_ = true;
    lws_sul_schedule(context_, 0, &node_.sul, &Timer::fire,
                     static_cast<lws_usec_t>(delay.count()) * LWS_US_PER_MS);
}

void Timer::cancel() {
    if (!pending_) return;
    pending_ = false;
    lws_sul_schedule(context_, 0, &node_.sul, &Timer::fire, LWS_SET_TIMER_USEC_CANCEL);
}

void Timer::fire(lws_sorted_usec_list_t* sul) {
    Timer* t = reinterpret_cast<Node*>(sul)->owner;
    t->pending_ = false;
    lws_context* context = t->context_;
    auto fn = t->fn_;  // fn may restart or destroy the timer
    if (fn) fn();
    // lws runs timers before it polls, in the same lws_service call: without
    // this, what fn changed (a flag run_until waits for) would wait for the
    // next event on some descriptor.
    lws_cancel_service(context);
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

    lws_context_creation_info info;
    std::memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = kProtocols;
    info.gid = -1;
    info.uid = -1;
    info.timeout_secs = 120;  // our own timers enforce the connect timeout
    // Raw sockets read at most this much per RX callback (4 KiB by
    // default). hyco-relay's loop (the one server loop) takes large reads;
    // every other loop's sockets carry one stream each, which 64 KiB reads
    // keep up with, and lws zero-fills the buffer at start, so it is
    // resident even in an idle listener.
    info.pt_serv_buf_size = options.server ? 256 * 1024 : 64 * 1024;
    // hyco does its own client TLS (tls_client.*): an lws client TLS context
    // would only parse the system CA bundle at every start, most of a short
    // connection's CPU. With --ca, lws still loads that file, so that an
    // unreadable one fails at start rather than at the first wss:// connection.
    if (!tls.ca_file.empty()) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.client_ssl_ca_filepath = tls.ca_file.c_str();
    }
    if (const auto& srv = options.server) {
        info.user = srv->acceptor;  // where dispatch() sends a new socket's callbacks
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
        loop->context_ = lws_create_context(&info);
    }
    if (!loop->context_) {
        if (options.server) return fail("cannot listen (or the TLS files are unusable)");
        return fail(tls.ca_file.empty() ? "cannot create the libwebsockets context"
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
    loop->signals_ = std::make_unique<Signals>(*loop, sfd);
    if (!loop->signals_->watch()) {
        loop->signals_.reset();
        return fail("cannot watch signals in the loop");
    }
    loop->signal_fd_ = sfd;
    return loop;
}

EventLoop::~EventLoop() {
    signals_.reset();
    // Deferred work refers to objects that are gone by now: drop it.
    deferred_.clear();
    if (context_) lws_context_destroy(context_);
}

void EventLoop::run_until(const std::function<bool()>& done) {
    for (;;) {
        run_deferred();
        if (done()) return;
        // done() itself may have deferred work (an abort on Ctrl-C): run it
        // before waiting in poll.
        if (!deferred_.empty()) continue;
        in_service_ = true;
        int rc = lws_service(context_, 0);
        in_service_ = false;
        if (rc < 0) return;
    }
}

void EventLoop::defer(std::function<void()> fn) {
    // Work deferred from a timer or an lws timeout would otherwise wait for
    // the poll that follows them in the same lws_service call.
    if (deferred_.empty() && in_service_) lws_cancel_service(context_);
    deferred_.push_back(std::move(fn));
}

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
