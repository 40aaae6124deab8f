// The loop: one lws context whose vhost adopts every accepted socket in the
// raw-socket role (so the relay, not lws, answers upgrades), a signalfd
// adopted into the same loop for SIGINT/SIGTERM/SIGUSR1, and the banner.
#include "tools/hyco-relay/relay.h"

#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/signalfd.h>
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

int lws_callback(lws* wsi, enum lws_callback_reasons reason, void*, void* in, size_t len) {
    auto* relay = static_cast<Relay*>(lws_context_user(lws_get_context(wsi)));
    return relay ? relay->on_callback(wsi, static_cast<int>(reason), in, len) : 0;
}

const lws_protocols kProtocols[] = {
    {"hyco-relay", lws_callback, 0, 0, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

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
    if (context_) lws_context_destroy(context_);
    if (signal_fd_ >= 0) ::close(signal_fd_);
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

Status Relay::create_context() {
    auto bind = resolve_bind(config_.bind_host, config_.port);
    if (!bind) return bind.error();
    bind_address_ = bind->numeric;
    // lws's own lines are for debugging the relay: they appear (prefixed
    // "hyco-relay: lws:") only with --verbose, or with the level bits in
    // HYCO_RELAY_LWS_LOG. Every failure a user must see is reported by the
    // relay itself, with the option or file at fault.
    const char* lws_level = std::getenv("HYCO_RELAY_LWS_LOG");
    lws_set_log_level(lws_level ? std::atoi(lws_level) : config_.verbose ? LLL_ERR | LLL_WARN : 0, lws_log);
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
    lws_context_creation_info info;
    std::memset(&info, 0, sizeof info);
    info.port = config_.port;
    // lws 4.1.6 takes iface as an interface name or a numeric address, but
    // with IPv6 enabled it writes an IPv4 literal into an IPv6 socket
    // address at the wrong offset (lws_interface_to_sa) and binds [::]:
    // every interface. An IPv4 address therefore gets an IPv4-only vhost.
    info.iface = bind_address_.c_str();
    info.protocols = kProtocols;
    info.vhost_name = "hyco-relay";
    // Accepted sockets go to the raw role: lws cannot hold a ws upgrade open.
    info.options = LWS_SERVER_OPTION_ADOPT_APPLY_LISTEN_ACCEPT_CONFIG;
    if (bind->family == AF_INET) info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.listen_accept_role = "raw-skt";
    info.listen_accept_protocol = "hyco-relay";
    info.user = this;
    info.pt_serv_buf_size = 256 * 1024;  // the most one read takes
    // lws's connection-setup timeout: it bounds the TLS handshake and, in the
    // raw role, the wait for the first bytes after it (Conn::on_received
    // clears it). The same window a plain connection gets for its head.
    info.timeout_secs = static_cast<unsigned>(std::chrono::duration_cast<std::chrono::seconds>(kHeadTimeout).count());
    if (config_.ns.tls) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = cert.c_str();
        info.ssl_private_key_filepath = key.c_str();
        // Offer only HTTP/1.1: an h2 ALPN choice would hand the socket to lws's h2 role.
        info.alpn = "http/1.1";
    }
    context_ = lws_create_context(&info);
    if (!context_)
        return make_error(Exit::failure, fmt::format("cannot listen on {} port {}", config_.bind_host, config_.port),
                          "the address is in use or not available (or the TLS files are unusable)");
    vhost_ = lws_get_vhost_by_name(context_, "hyco-relay");
    if (!vhost_) return make_error(Exit::failure, "starting the relay", "lws created no vhost");
    int port = lws_get_vhost_listen_port(vhost_);
    if (port <= 0) return make_error(Exit::failure, "starting the relay", "no listening port");
    port_ = static_cast<std::uint16_t>(port);
    return {};
}

Status Relay::run() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    // Signals arrive as readable data on a descriptor in the loop: no handler
    // and no global flag needed.
    sigprocmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
    signal_fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd_ < 0) return make_error(Exit::failure, "signalfd", std::strerror(errno));
    if (auto st = create_context(); !st) return st;
    lws_sock_file_fd_type fd;
    fd.filefd = signal_fd_;
    if (!lws_adopt_descriptor_vhost(vhost_, LWS_ADOPT_RAW_FILE_DESC, fd, "hyco-relay", nullptr))
        return make_error(Exit::failure, "starting the relay", "cannot watch signals in the loop");

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

    Timer stop_timer(context_);
    bool stop_now = false;
    while (!(stopping_ && (conns_.empty() || stop_now))) {
        if (lws_service(context_, 0) < 0) break;
        after_callback();
        if (stopping_ && !stop_timer.pending() && !stop_now)
            stop_timer.start(std::chrono::milliseconds(2000), [&stop_now] { stop_now = true; });
    }
    stop_timer.cancel();
    log("stopped");
    return {};
}

void Relay::handle_signals() {
    signalfd_siginfo si;
    while (::read(signal_fd_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
        if (si.ssi_signo == SIGUSR1) {
            log("status: " + status_json());
            continue;
        }
        if (stopping_) {
            log("second signal: closing everything now");
            for (auto& [id, c] : conns_) c->abort();
            continue;
        }
        log(fmt::format("{} received: closing {} connection(s)", si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM",
                        conns_.size()));
        interrupted_ = true;
        begin_shutdown();
    }
}

void Relay::begin_shutdown() {
    stopping_ = true;
    for (auto& [id, c] : conns_) {
        if (c->role<WsEndpoint>()) c->ws_close(ws::close_code::going_away, "relay shutting down");
        c->finish();
    }
    lws_cancel_service(context_);
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

int Relay::on_callback(lws* wsi, int reason, void* in, std::size_t len) {
    ++depth_;
    int rc = 0;
    try {
        Conn* c = static_cast<Conn*>(lws_get_opaque_user_data(wsi));
        switch (reason) {
            case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
                // Before adoption: non-zero makes lws close the socket.
                if (!admit(false)) rc = 1;
                break;
            case LWS_CALLBACK_RAW_ADOPT: {
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
                lws_set_opaque_user_data(wsi, conn.get());
                conns_[id] = std::move(conn);
                if (stopping_) conns_[id]->abort();
                break;
            }
            case LWS_CALLBACK_RAW_RX:
                if (c && in && len) {
                    c->on_received(static_cast<const char*>(in), len);
                    c->dispatch();
                }
                break;
            case LWS_CALLBACK_RAW_WRITEABLE:
                if (c) rc = c->on_writable(scratch_);
                break;
            case LWS_CALLBACK_RAW_CLOSE:
                if (c) {
                    c->on_closed();
                    if (auto kept = registry_.take_rendezvous(c->id))
                        if (Conn* rv = find(kept->rendezvous)) {
                            rv->ws_close(ws::close_code::going_away, "");
                            rv->finish();
                        }
                    verbose(fmt::format("{}: closed after {}s, {} bytes in, {} bytes out", c->label,
                                        unix_now() - c->opened_at, c->bytes_in, c->bytes_out));
                    lws_set_opaque_user_data(wsi, nullptr);
                    conns_.erase(c->id);
                    if (overloaded_ && conns_.size() < static_cast<std::size_t>(config_.max_connections)) {
                        overloaded_ = false;
                        log(fmt::format("accepting connections again; {} were turned away at --max-connections {}",
                                        turned_away_, config_.max_connections));
                        turned_away_ = 0;
                    }
                }
                break;
            case LWS_CALLBACK_RAW_RX_FILE:
                handle_signals();
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

}  // namespace hyco::relay
