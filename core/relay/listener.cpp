// The listener engine (see listener.h).
#include "core/relay/listener.h"

#include <csignal>
#include <map>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/relay/control_channel.h"
#include "core/relay/http_refusals.h"
#include "core/relay/rejections.h"
#include "core/stream/progress.h"
#include "core/stream/stream_end.h"

namespace hyco {
namespace {

using Clock = std::chrono::steady_clock;

struct Hook {
    Child child;
    control::Accept accept;
    ConnectionInfo info;
    std::string subprotocol;
    Clock::time_point deadline;
};

struct Conn {
    ConnectionInfo info;
    Clock::time_point started = Clock::now();
    std::unique_ptr<Session> session;
    pid_t pid = -1;
};

struct Orphan {  // a child whose connection ended
    pid_t pid;
    Clock::time_point term_at;
    bool termed = false;
    std::optional<Status> once;  ///< --once: the connection's status, final once the child's is known
};

/// --once with --exec: the connection's status, unless the command failed.
Status with_child_status(const Status& st, int wait_status) {
    int code = exit_code_of(wait_status);
    if (!st || code == 0) return st;
    return make_error(Exit::failure, "the command", fmt::format("exited with status {}", code));
}

class Listener final : public ControlChannel::Events {
public:
    Listener(EventLoop& loop, const ListenerConfig& cfg)
        : loop_(loop), cfg_(cfg), channel_(loop, *this, cfg.target, cfg.client, cfg.keepalive), rejections_(loop),
          http_refusals_(loop), reaper_(loop),
          progress_(loop) {}

    Status run();

private:
    void channel_online() override {
        // Without -v too once it had been offline: the user saw that line.
        status("online", {}, fmt::format("online: listening on '{}'", cfg_.target.entity), offline_shown_);
        offline_shown_ = false;
    }
    void channel_offline(const Error& why, std::chrono::seconds retry) override {
        // Always shown: a listener that cannot get online must say why.
        status("offline", {{"reason", why.message()}, {"retry_in_s", retry.count()}},
               fmt::format("offline: {}; reconnecting in {} s", why.message(), retry.count()), true);
        offline_shown_ = true;
    }
    void channel_fatal(const Error& why) override {
        status("stopped", {{"reason", why.message()}}, "stopped: " + why.message());
        finish(why);
    }
    void channel_renewed() override { status("renewed", {}, "token renewed"); }
    void channel_reconnecting(std::size_t attempt) override {
        status("reconnecting", {{"attempt", attempt}}, fmt::format("reconnecting (attempt {})", attempt));
    }
    void channel_log(const std::string& line) override { verbose(line); }
    void channel_accept(const control::Accept& a) override;
    void channel_request(const control::Request& r, std::string body) override {
        verbose("answering an HTTP request with 501: hyco-listen relays WebSocket connections only");
        std::uint64_t gen = channel_.generation();
        http_refusals_.refuse(
            r, std::move(body),
            [this, gen](const control::Response& resp, const std::string* b) { return channel_.respond(gen, resp, b); },
            cfg_.client.timeouts, 501, "Not Implemented: this listener relays WebSocket connections only");
    }

    void verbose(const std::string& line) {
        if (cfg_.log && cfg_.client.verbose) cfg_.log(line);
    }
    /// A state change: the human line with -v (or `always`, unless --json
    /// reports it), the JSON line with --json.
    void status(const std::string& event, nlohmann::json fields, const std::string& human, bool always = false) {
        if (always && !cfg_.json && cfg_.log && !cfg_.client.verbose) cfg_.log(human);
        verbose(human);
        if (!cfg_.json) return;
        fields["event"] = event;
        fields["entity"] = cfg_.target.entity;
        cfg_.json(json_line(fields));
    }
    void reject(const control::Accept& a, const Verdict& v);
    void open(const control::Accept& a, const ConnectionInfo& info, const std::string& subprotocol);
    void session_done(std::uint64_t id, const Status& st);
    void reap();
    void kick_reaper();
    void finish(Status st);
    void show_progress();

    EventLoop& loop_;
    const ListenerConfig& cfg_;
    ControlChannel channel_;
    std::map<std::uint64_t, std::unique_ptr<Conn>> conns_;
    std::map<std::uint64_t, std::unique_ptr<Hook>> hooks_;
    Rejections rejections_;
    HttpRefusals http_refusals_;
    std::vector<Orphan> orphans_;
    std::uint64_t next_id_ = 1;
    bool served_ = false;
    bool offline_shown_ = false;  ///< an offline line was printed since the last online
    std::optional<Status> result_;
    Timer reaper_;
    Timer progress_;
    RateWindow window_;
    bool progress_shown_ = false;
};

void Listener::channel_accept(const control::Accept& a) {
    ConnectionInfo info = connection_info(a, cfg_.target.entity);
    std::string from = fmt::format("{}:{}", text::printable(info.remote_address), info.remote_port);
    verbose(fmt::format("connection {} from {}{}", text::printable(info.id), from,
                        info.path_suffix.empty() ? "" : " path /" + text::printable(info.path_suffix)));
    if (result_) return reject(a, {503, "Service Unavailable: the listener is shutting down"});
    if (cfg_.reject_all) return reject(a, *cfg_.reject_all);
    // --once: one connection, and while the accept hook decides about a
    // sender nobody else gets in; a rejected sender does not count.
    std::size_t limit = cfg_.exec.empty() || cfg_.once ? 1 : cfg_.max_connections;
    if ((cfg_.once && served_) || conns_.size() + hooks_.size() >= limit)
        return reject(a, {503, "Busy: the listener is serving as many connections as it may"});
    auto sub = choose_subprotocol(info.offered_subprotocols, cfg_.client.subprotocols);
    if (!sub) return reject(a, {400, "No common subprotocol"});
    if (cfg_.accept_cmd.empty()) return open(a, info, *sub);
    auto child = spawn_shell({cfg_.accept_cmd, connection_env(info, cfg_.target.entity, *sub), true, true, true});
    if (!child) {
        verbose(child.error().message());
        return reject(a, {500, "Internal Server Error: the accept command could not run"});
    }
    // Its stdin is an empty pipe, never our stdin (which may be the data).
    ::close(child->stdin_fd);
    auto h = std::make_unique<Hook>(Hook{*child, a, info, *sub, Clock::now() + cfg_.accept_timeout});
    hooks_[next_id_++] = std::move(h);
    kick_reaper();
}

void Listener::reject(const control::Accept& a, const Verdict& v) {
    status("rejected", {{"id", a.id}, {"status", v.status}, {"description", v.description}},
           fmt::format("rejected {} with {} {}", text::printable(a.id), v.status, text::printable(v.description)));
    auto sent = rejections_.send(a.address, v, [this](bool delivered) {
        if (!delivered) verbose("the relay did not confirm a rejection (expected HTTP 410)");
    });
    if (!sent) verbose("cannot reject: " + sent.error().message());
}

void Listener::open(const control::Accept& a, const ConnectionInfo& info, const std::string& subprotocol) {
    auto target = parse_ws_url(a.address);
    if (!target) return verbose("bad rendezvous address: " + target.error().message());
    if (!subprotocol.empty()) target->subprotocols = {subprotocol};
    auto conn = std::make_unique<Conn>();
    conn->info = info;
    int in = -1, out = -1;
    std::string name = "stdout";
    if (!cfg_.exec.empty()) {
        std::string app_subprotocol = eos::is_internal(subprotocol) ? std::string() : subprotocol;
        auto child = spawn_shell({cfg_.exec, connection_env(info, cfg_.target.entity, app_subprotocol), true, true, true});
        if (!child) {
            verbose(child.error().message());
            return reject(a, {500, "Internal Server Error: the command could not start"});
        }
        conn->pid = child->pid;
        in = child->stdout_fd;
        out = child->stdin_fd;
        name = "the command";
    } else {
        in = fcntl(0, F_DUPFD_CLOEXEC, 3);
        out = fcntl(1, F_DUPFD_CLOEXEC, 3);
    }
    WsTimeouts timeouts = cfg_.client.timeouts;
    timeouts.connect = std::chrono::milliseconds(20000);  // .NET's accept timeout
    std::uint64_t id = next_id_++;
    SessionOptions so = cfg_.session;
    so.output_close_ends = cfg_.exec.empty();
    so.empty_input_receives = cfg_.exec.empty();
    so.child = conn->pid;
    conn->session = std::make_unique<Session>(loop_, so, std::move(*target), timeouts, in, out, name,
                                              [this, id](Session&, const Status& st) { session_done(id, st); });
    Session& s = *conn->session;
    conns_[id] = std::move(conn);
    served_ = true;
    status("accepted", {{"id", a.id}, {"remote", info.remote_address}, {"path", info.path_suffix}},
           fmt::format("accepted {}", text::printable(a.id)));
    if (auto st = s.start(); !st) session_done(id, st);
}

void Listener::session_done(std::uint64_t id, const Status& st) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    Conn& c = *it->second;
    const SessionCounters& n = c.session->counters();
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - c.started);
    nlohmann::json fields{{"id", c.info.id},           {"ok", st.ok()},
                          {"complete", st.ok()},       {"reason", st.ok() ? "" : st.error().message()},
                          {"received", n.bytes_in},    {"sent", n.bytes_out},
                          {"duration_ms", took.count()}, {"end_records", c.session->link().records()}};
    if (const WsClose& close = c.session->last_close(); close.code) {
        fields["close_code"] = close.code;
        fields["close_reason"] = close.reason;
    }
    status("closed", fields,
           st.ok() ? fmt::format("connection {} closed", c.info.id)
                   : fmt::format("connection {} failed: {}", c.info.id, st.error().message()));
    if (progress_shown_) {
        // The meter's last line shows the real total, then how it ended.
        progress_shown_ = false;
        std::uint64_t b = n.bytes_in > n.bytes_out ? n.bytes_in : n.bytes_out;
        cfg_.progress_sink("\r" + progress_line(b, took, std::nullopt) + "\x1b[K\n");
        if (cfg_.log) cfg_.log(summary_line(n.bytes_out, n.bytes_in, took, st.ok() ? "complete" : "incomplete"));
    }
    pid_t pid = c.pid;
    std::optional<int> reaped = c.session->child_status();
    conns_.erase(it);
    if (pid > 0) {
        if (auto ws = reaped ? reaped : try_reap(pid)) {
            if (cfg_.once) finish(with_child_status(st, *ws));
            return;
        }
        // --once reports when the child's own status is known.
        orphans_.push_back({pid, Clock::now() + std::chrono::seconds(2), false, cfg_.once ? std::optional(st) : std::nullopt});
        kick_reaper();
        return;
    }
    if (cfg_.once) finish(st);
}

void Listener::reap() {
    auto now = Clock::now();
    for (auto it = hooks_.begin(); it != hooks_.end();) {
        Hook& h = *it->second;
        auto ws = try_reap(h.child.pid);
        if (!ws && now < h.deadline) {
            ++it;
            continue;
        }
        std::string out(4096, '\0');
        ssize_t n = ws ? ::read(h.child.stdout_fd, out.data(), out.size()) : -1;
        out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        ::close(h.child.stdout_fd);
        if (!ws) {
            ::kill(-h.child.pid, SIGKILL);
            orphans_.push_back({h.child.pid, now, true, std::nullopt});
            reject(h.accept, {500, "Internal Server Error: the accept command timed out"});
        } else if (exit_code_of(*ws) == 0) {
            open(h.accept, h.info, h.subprotocol);
        } else {
            Verdict v{403, "Forbidden: rejected by the accept command"};
            if (auto p = parse_verdict(out.substr(0, out.find('\n')))) v = *p;
            reject(h.accept, v);
        }
        it = hooks_.erase(it);
    }
    for (auto it = orphans_.begin(); it != orphans_.end();) {
        if (auto ws = try_reap(it->pid)) {
            // A child we had to stop does not fail its connection.
            if (it->once) finish(it->termed ? *it->once : with_child_status(*it->once, *ws));
            it = orphans_.erase(it);
            continue;
        }
        if (now >= it->term_at) {
            // Its connection is gone and stdin closed; it had two seconds.
            ::kill(-it->pid, it->termed ? SIGKILL : SIGTERM);
            it->termed = true;
            it->term_at = now + std::chrono::seconds(3);
        }
        ++it;
    }
    if (!hooks_.empty() || !orphans_.empty()) kick_reaper();
}

void Listener::kick_reaper() {
    if (!reaper_.pending()) reaper_.start(std::chrono::milliseconds(50), [this] { reap(); });
}

void Listener::show_progress() {
    if (conns_.size() == 1) {
        const Conn& conn = *conns_.begin()->second;
        const SessionCounters& c = conn.session->counters();
        std::uint64_t b = c.bytes_in > c.bytes_out ? c.bytes_in : c.bytes_out;
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - conn.started);
        window_.sample(took, b);
        if (b > 0) {
            cfg_.progress_sink("\r" + progress_line(b, took, std::nullopt, window_.rate()) + "\x1b[K");
            progress_shown_ = true;
        }
    } else {
        window_ = RateWindow();
    }
    progress_.start(std::chrono::milliseconds(500), [this] { show_progress(); });
}

void Listener::finish(Status st) {
    if (result_) return;
    result_ = std::move(st);
    channel_.stop();
    for (auto& [id, c] : conns_) c->session->interrupt();
    for (auto& [id, h] : hooks_) ::kill(-h->child.pid, SIGKILL);
}

Status Listener::run() {
    channel_.start();
    if (cfg_.progress && cfg_.exec.empty() && cfg_.progress_sink) show_progress();
    Clock::time_point give_up{};
    loop_.run_until([&] {
        if (EventLoop::interrupted() && !result_) finish(make_error(Exit::interrupted, "", "interrupted"));
        if (!result_) return false;
        if (give_up == Clock::time_point{}) give_up = Clock::now() + std::chrono::seconds(2);
        bool quiet = channel_.stopped() && conns_.empty() && rejections_.empty() && http_refusals_.empty();
        return quiet || Clock::now() > give_up;
    });
    progress_.cancel();
    // Each child leads its own process group: the whole pipeline goes.
    for (const Orphan& o : orphans_) ::kill(-o.pid, SIGTERM);
    return *result_;
}

}  // namespace

Status run_listener(const ListenerConfig& config) {
    auto loop = EventLoop::create(config.client.tls);
    if (!loop) return loop.error();
    (*loop)->set_proxy(config.client.proxy);
    Listener listener(**loop, config);
    return listener.run();
}

}  // namespace hyco
