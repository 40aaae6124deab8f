// lws context ownership and callback dispatch. One protocol serves every wsi
// (WebSocket clients and adopted file descriptors); the wsi's opaque user
// data names the C++ object that handles it.
#include "core/io/event_loop.h"

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

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

// Written only by the signal handler, read by the loop.
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) { g_signal.store(sig); }

int dispatch(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
    auto* h = static_cast<LwsHandler*>(lws_get_opaque_user_data(wsi));
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

Timer::Timer(EventLoop& loop) : Timer(loop.context()) {}

Timer::Timer(lws_context* context) : context_(context) { node_.owner = this; }

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
    auto fn = t->fn_;  // fn may restart or destroy the timer
    if (fn) fn();
}

Result<std::unique_ptr<EventLoop>> EventLoop::create(const TlsOptions& tls) {
    lws_set_log_level(LLL_ERR, quiet_log);
    std::unique_ptr<EventLoop> loop(new EventLoop());
    loop->tls_ = tls;
    lws_context_creation_info info;
    std::memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = kProtocols;
    // hyco does its own TLS (tls_client.*): an lws client TLS context would
    // only parse the system CA bundle at every start, most of a short
    // connection's CPU. With --ca, lws still loads that file, so that an
    // unreadable one fails at start rather than at the first wss:// connection.
    if (!loop->tls_.ca_file.empty()) info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.gid = -1;
    info.uid = -1;
    info.timeout_secs = 120;  // our own timers enforce the connect timeout
    // Raw sockets read at most this much per RX callback (4 KiB by
    // default): large reads are what WebSocket throughput rests on.
    info.pt_serv_buf_size = 256 * 1024;
    if (!loop->tls_.ca_file.empty()) info.client_ssl_ca_filepath = loop->tls_.ca_file.c_str();
    {
        HiddenProxyVariables hidden;
        loop->context_ = lws_create_context(&info);
    }
    if (!loop->context_)
        return make_error(Exit::failure, "event loop",
                          tls.ca_file.empty() ? "cannot create the libwebsockets context"
                                              : "cannot create the TLS context (is --ca " + tls.ca_file +
                                                    " a readable PEM file?)");
    loop->vhost_ = lws_get_vhost_by_name(loop->context_, "default");
    if (!loop->vhost_) return make_error(Exit::failure, "event loop", "no default vhost");
    // A steady tick bounds how long a signal can go unnoticed when it lands
    // just before poll() starts waiting.
    loop->tick_ = std::make_unique<Timer>(*loop);
    struct Ticker {
        static void arm(Timer* t) {
            t->start(std::chrono::milliseconds(200), [t] { arm(t); });
        }
    };
    Ticker::arm(loop->tick_.get());
    return loop;
}

EventLoop::~EventLoop() {
    tick_.reset();
    // Deferred work refers to objects that are gone by now: drop it.
    deferred_.clear();
    if (context_) lws_context_destroy(context_);
}

void EventLoop::run_until(const std::function<bool()>& done) {
    run_deferred();
    while (!done()) {
        if (lws_service(context_, 0) < 0) break;
        run_deferred();
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

bool EventLoop::interrupted() { return g_signal.load() != 0; }

void EventLoop::install_signal_handlers() {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace hyco
