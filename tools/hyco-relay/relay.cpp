// The loop: core's EventLoop as a server whose vhost adopts every accepted
// socket in the raw-socket role (so the relay, not lws, answers upgrades)
// and reports SIGINT/SIGTERM/SIGUSR1; admission, shutdown and the banner.
#include "tools/hyco-relay/relay.h"

#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/io/event_loop.h"
#include "tools/common/diag.h"
#include "tools/hyco-relay/dispatch.h"
#include "tools/hyco-relay/tls_cert.h"
#include "tools/hyco-relay/ws_endpoint.h"

namespace hyco::relay {
namespace {

void lws_log(int, const char* line) {
    std::string_view l = line;
    if (!l.empty() && l.front() == '[') l.remove_prefix(std::min(l.size(), l.find(']') + 2));
    while (!l.empty() && l.back() == '\n') l.remove_suffix(1);
    cli::diag::note("lws: " + std::string(l));
}

int peer_port(lws* wsi) {
    sockaddr_storage ss{};
    socklen_t n = sizeof ss;
    if (getpeername(lws_get_socket_fd(wsi), reinterpret_cast<sockaddr*>(&ss), &n) != 0) return 0;
    if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return 0;
}

}  // namespace

Relay::Relay(Config config) : config_(std::move(config)), registry_(config_) {}

Relay::~Relay() {
    // First: closing the loop reports every connection's close to us.
    loop_.reset();
    if (!tls_dir_.empty()) remove_generated({tls_dir_, tls_dir_ + "/cert.pem", tls_dir_ + "/key.pem"});
}

Conn* Relay::find(std::uint64_t id) const {
    auto it = conns_.find(id);
    return it == conns_.end() ? nullptr : it->second.get();
}

void Relay::log(std::string_view message) const { cli::diag::note(message); }

void Relay::verbose(std::string_view message) const {
    if (config_.verbose) log(message);
}

void Relay::retire(std::unique_ptr<Handler> handler) { graveyard_.push_back(std::move(handler)); }

void Relay::kick(Conn& conn) { kicks_.push_back(conn.id); }

void Relay::read_next_request(Conn& conn) { conn.set_handler(make_head_reader(conn)); }

std::string Relay::base_url(bool websocket) const {
    Namespace n = config_.ns;
    n.port = port_;
    std::string scheme = websocket ? (n.tls ? "wss" : "ws") : (n.tls ? "https" : "http");
    return scheme + "://" + n.authority();
}

namespace {

/// The address lws binds: numeric, with its family.
struct BindAddress {
    std::string numeric;
    int family = AF_UNSPEC;
};

// Resolves --host to one numeric address and checks that host:port can be
// bound before lws tries: lws 4.1.6 leaks memory when its default vhost
// fails to bind, and cannot say why. SO_REUSEADDR as lws sets it, so a port
// in TIME_WAIT is not reported as busy. Port 0 is bound too: an address
// that is not this host's fails whatever the port.
Result<BindAddress> resolve_bind(const std::string& host, std::uint16_t port) {
    std::string what = fmt::format("cannot listen on {} port {}", host, port);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0)
        return make_error(Exit::failure, what, gai_strerror(rc));
    int err = 0;
    BindAddress out;
    for (addrinfo* a = res; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        int rc = bind(fd, a->ai_addr, a->ai_addrlen);
        err = rc == 0 ? 0 : errno;
        close(fd);
        char buf[NI_MAXHOST];
        if (rc == 0 && getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) == 0) {
            out = {buf, a->ai_family};
            break;
        }
    }
    freeaddrinfo(res);
    if (err) return make_error(Exit::failure, what, std::strerror(err));
    if (out.numeric.empty()) return make_error(Exit::failure, what, "no usable address");
    return out;
}

bool is_loopback(const std::string& numeric) {
    return numeric.rfind("127.", 0) == 0 || numeric == "::1" || numeric.rfind("::ffff:127.", 0) == 0;
}

}  // namespace

Status Relay::create_loop() {
    auto bind = resolve_bind(config_.bind_host, config_.port);
    if (!bind) return bind.error();
    bind_address_ = bind->numeric;
    std::string cert = config_.cert_file, key = config_.key_file;
    if (!cert.empty())
        if (auto st = check_tls_files(cert, key); !st) return st;
    if (config_.ns.tls && cert.empty()) {
        auto gen = generate_self_signed(config_.ns.host);
        if (!gen) return gen.error();
        tls_dir_ = gen->dir;
        cert = gen->cert_file;
        key = gen->key_file;
    }
    LoopOptions o;
    ServerOptions& srv = o.server.emplace();
    srv.iface = bind_address_;
    srv.port = config_.port;
    srv.ipv4_only = bind->family == AF_INET;
    if (config_.ns.tls) {
        srv.cert_file = cert;
        srv.key_file = key;
    }
    // The same window a plain connection gets for its head.
    srv.setup_timeout = std::chrono::duration_cast<std::chrono::seconds>(kHeadTimeout);
    srv.acceptor = this;
    o.status_signal = true;
    o.read_size = LoopOptions::kBulkReads;
    // What --max-connections and its 503 answers may hold, and no more:
    // lws's table of that size is scanned at every close.
    o.descriptor_table = static_cast<std::size_t>(kOwnDescriptors + config_.max_connections + config_.overload_answers);
    rlimit nofile{};
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY &&
        static_cast<long>(nofile.rlim_cur) < config_.descriptor_limit) {
        nofile.rlim_cur = static_cast<rlim_t>(config_.descriptor_limit);
        if (setrlimit(RLIMIT_NOFILE, &nofile) != 0)
            return make_error(Exit::failure, fmt::format("cannot raise the descriptor limit to {}", config_.descriptor_limit),
                              std::strerror(errno));
    }
    // lws's own lines are for debugging the relay: they appear (prefixed
    // "hyco-relay: lws:") only with --verbose, or with the level bits in
    // HYCO_RELAY_LWS_LOG. Every failure a user must see is reported by the
    // relay itself, with the option or file at fault.
    const char* lws_level = std::getenv("HYCO_RELAY_LWS_LOG");
    o.lws_log_level = lws_level ? std::atoi(lws_level) : config_.verbose ? LLL_ERR | LLL_WARN : 0;
    o.lws_log = lws_log;
    auto loop = EventLoop::create(std::move(o));
    if (!loop)
        return make_error(Exit::failure, fmt::format("cannot listen on {} port {}", config_.bind_host, config_.port),
                          "the address is in use or not available (or the TLS files are unusable)");
    loop_ = std::move(*loop);
    port_ = loop_->listen_port();
    loop_->on_signal([this](int signo) { on_signal(signo); });
    return {};
}

Status Relay::run() {
    if (auto st = create_loop(); !st) return st;

    for (const std::string& line : config_.banner_lines(port_)) std::cout << line << '\n';
    std::cout.flush();
    log(fmt::format("serving {} on {} port {} (rules: {}, at most {} connections{})", base_url(true), bind_address_,
                    port_, config_.rules.size(), config_.max_connections,
                    config_.declared_only ? ", declared entities only" : ""));
    if (!is_loopback(bind_address_) && !config_.ns.tls)
        log(fmt::format("warning: listening on {}, reachable from other hosts, without --tls: tokens, request "
                        "data{} travel in clear text",
                        bind_address_ == "0.0.0.0" || bind_address_ == "::" ? "every interface" : bind_address_,
                        config_.status_public ? " and the public status page" : ""));

    Timer stop_timer(*loop_);
    bool stop_now = false;
    loop_->run_until([&] {
        after_callback();
        if (stopping_ && !stop_timer.pending() && !stop_now)
            stop_timer.start(std::chrono::milliseconds(2000), [&stop_now] { stop_now = true; });
        return stopping_ && (conns_.empty() || stop_now);
    });
    stop_timer.cancel();
    log("stopped");
    return {};
}

void Relay::on_signal(int signo) {
    if (signo == SIGUSR1) {
        log("status: " + status_json());
        return;
    }
    if (stopping_) {
        log("second signal: closing everything now");
        for (auto& [id, c] : conns_) c->abort();
        return;
    }
    log(fmt::format("{} received: closing {} connection(s)", signo == SIGINT ? "SIGINT" : "SIGTERM", conns_.size()));
    interrupted_ = true;
    begin_shutdown();
}

void Relay::begin_shutdown() {
    stopping_ = true;
    for (auto& [id, c] : conns_) {
        if (c->role<WsEndpoint>()) c->ws_close(ws::close_code::going_away, "relay shutting down");
        c->finish();
    }
    lws_cancel_service(loop_->context());
}

bool Relay::admit(bool answer_503) {
    auto max = static_cast<std::size_t>(config_.max_connections);
    std::size_t limit = answer_503 ? max : max + static_cast<std::size_t>(config_.overload_answers);
    if (conns_.size() < limit) return true;
    ++turned_away_;
    if (!overloaded_) {
        overloaded_ = true;
        log(fmt::format("{} connections open, the --max-connections limit: new connections get 503 until some close",
                        conns_.size()));
    }
    return false;
}

void Relay::after_callback() {
    for (int round = 0; round < 8 && !kicks_.empty(); ++round) {
        std::vector<std::uint64_t> ids;
        ids.swap(kicks_);
        for (std::uint64_t id : ids)
            if (Conn* c = find(id); c && !c->rx_paused()) c->dispatch();
    }
    graveyard_.clear();
}

int Relay::on_lws(lws* wsi, lws_callback_reasons reason, void*, std::size_t) {
    ++depth_;
    int rc = 0;
    try {
        if (reason == LWS_CALLBACK_FILTER_NETWORK_CONNECTION) {
            // Before adoption: non-zero makes lws close the socket.
            if (!admit(false)) rc = 1;
        } else if (reason == LWS_CALLBACK_RAW_ADOPT) {
            adopt(wsi);
        }
    } catch (const std::exception& e) {
        log(fmt::format("internal error: {}; dropping the connection", e.what()));
        rc = -1;
    }
    if (--depth_ == 0) after_callback();
    return rc;
}

void Relay::adopt(lws* wsi) {
    bool over = !admit(true);
    std::uint64_t id = next_id_++;
    auto conn = std::make_unique<Conn>(*this, wsi, id);
    char buf[64] = {0};
    lws_get_peer_simple(wsi, buf, sizeof buf);
    std::string_view peer = buf;
    // The listen socket is dual-stack: show IPv4 peers as IPv4.
    if (peer.rfind("::ffff:", 0) == 0 && peer.find('.') != std::string_view::npos) peer.remove_prefix(7);
    conn->peer_address = std::string(peer);
    conn->peer_port = peer_port(wsi);
    conn->opened_at = unix_now();
    conn->label = fmt::format("#{} from {}", id, conn->peer_address);
    conn->set_handler(over ? make_overload_answer(*conn) : make_head_reader(*conn));
    lws_set_opaque_user_data(wsi, static_cast<LwsHandler*>(conn.get()));
    conns_[id] = std::move(conn);
    if (stopping_) conns_[id]->abort();
}

int Relay::on_conn_event(Conn& c, lws_callback_reasons reason, void* in, std::size_t len) {
    ++depth_;
    int rc = 0;
    try {
        switch (reason) {
            case LWS_CALLBACK_RAW_RX:
                if (in && len) {
                    c.on_received(static_cast<const char*>(in), len);
                    c.dispatch();
                }
                break;
            case LWS_CALLBACK_RAW_WRITEABLE:
                rc = c.on_writable(scratch_);
                break;
            case LWS_CALLBACK_RAW_CLOSE:
                closed(c);
                break;
            default:
                break;
        }
    } catch (const std::exception& e) {
        log(fmt::format("internal error: {}; dropping the connection", e.what()));
        rc = -1;
    }
    if (--depth_ == 0) after_callback();
    return rc;
}

void Relay::closed(Conn& c) {
    c.on_closed();
    if (auto kept = registry_.take_rendezvous(c.id))
        if (Conn* rv = find(kept->rendezvous)) {
            rv->ws_close(ws::close_code::going_away, "");
            rv->finish();
        }
    verbose(fmt::format("{}: closed after {}s, {} bytes in, {} bytes out", c.label, unix_now() - c.opened_at,
                        c.bytes_in, c.bytes_out));
    lws_set_opaque_user_data(c.wsi, nullptr);
    std::uint64_t id = c.id;
    conns_.erase(id);  // destroys c
    if (overloaded_ && conns_.size() < static_cast<std::size_t>(config_.max_connections)) {
        overloaded_ = false;
        log(fmt::format("accepting connections again; {} were turned away at --max-connections {}", turned_away_,
                        config_.max_connections));
        turned_away_ = 0;
    }
}

}  // namespace hyco::relay
