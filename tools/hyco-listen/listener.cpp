// hyco-listen's run (see listener.h).
#include "tools/hyco-listen/listener.h"

#include <algorithm>
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
#include "core/io/fd_stream.h"
#include "core/relay/relay_listener.h"
#include "core/stream/copier.h"
#include "core/stream/fd_endpoint.h"
#include "core/stream/progress.h"
#include "core/stream/stream_end.h"

namespace hyco {
namespace {

using Clock = std::chrono::steady_clock;

/// An accept command deciding about a sender.
struct Hook {
    Child child;
    control::Accept accept;
    ConnectionInfo info;
    std::string subprotocol;
    std::unique_ptr<Timer> deadline;
};

struct Conn {
    ConnectionInfo info;
    Clock::time_point started = Clock::now();
    std::unique_ptr<Copier> copier;  ///< local (stdio or the command) first, the relay second
    const RelayStream* relay = nullptr;
    std::uint64_t sent() const { return copier->bytes(0); }
    std::uint64_t received() const { return copier->bytes(1); }
};

/// The rendezvous streams' options: on stdio, nothing on stdin
/// (</dev/null) means receive only, so our end waits for the sender's.
RelayStreamOptions stream_options(const ListenerConfig& cfg) {
    RelayStreamOptions so = cfg.stream;
    if (cfg.exec.empty() && so.end_of_input == RelayStreamOptions::EndOfInput::close)
        so.end_of_input = RelayStreamOptions::EndOfInput::hold_if_empty;
    return so;
}

class Listener final : public RelayListener::Owner {
public:
    Listener(EventLoop& loop, const ListenerConfig& cfg)
        : loop_(loop), cfg_(cfg),
          core_(loop, *this, cfg.target, cfg.client, cfg.keepalive, stream_options(cfg), "connection"),
          progress_(loop), stdout_watch_(loop) {}

    Status run();

private:
    void online() override {
        // Without -v too once it had been offline: the user saw that line.
        status("online", {}, fmt::format("online: listening on '{}'", cfg_.target.entity), offline_shown_);
        offline_shown_ = false;
    }
    void offline(const Error& why, std::chrono::seconds retry) override {
        // Always shown: a listener that cannot get online must say why.
        status("offline", {{"reason", why.message()}, {"retry_in_s", retry.count()}},
               fmt::format("offline: {}; reconnecting in {} s", why.message(), retry.count()), true);
        offline_shown_ = true;
    }
    void fatal(const Error& why) override {
        status("stopped", {{"reason", why.message()}}, "stopped: " + why.message());
        finish(why);
    }
    void renewed() override { status("renewed", {}, "token renewed"); }
    void reconnecting(std::size_t attempt) override {
        status("reconnecting", {{"attempt", attempt}}, fmt::format("reconnecting (attempt {})", attempt));
    }
    void log(const std::string& line) override { verbose(line); }
    RelayListener::Admission admit(const control::Accept& a, const ConnectionInfo& info,
                                   const std::string& subprotocol) override;
    void accepted(const control::Accept& a, const ConnectionInfo& info, const std::string& subprotocol,
                  std::unique_ptr<RelayStream> relay) override;
    void rejected(const control::Accept& a, const Verdict& v) override {
        status("rejected", {{"id", a.id}, {"status", v.status}, {"description", v.description}},
               fmt::format("rejected {} with {} {}", text::printable(a.id), v.status, text::printable(v.description)));
    }
    void request(const control::Request& r, std::string body, RelayedHttp::ChannelSend send) override {
        verbose("answering an HTTP request with 501: hyco-listen relays WebSocket connections only");
        core_.refuse(r, std::move(body), std::move(send), 501,
                     "Not Implemented: this listener relays WebSocket connections only");
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
    void session_done(std::uint64_t id, const Status& st);
    void hook_exited(std::uint64_t id, int wait_status);
    void hook_timed_out(std::uint64_t id);
    void finish(Status st);
    void show_progress();
    void watch_stdout();
    bool stopped_for_stdout(const Status& st);

    EventLoop& loop_;
    const ListenerConfig& cfg_;
    RelayListener core_;
    std::map<std::uint64_t, std::unique_ptr<Conn>> conns_;
    std::map<std::uint64_t, std::unique_ptr<Hook>> hooks_;
    std::uint64_t next_id_ = 1;
    bool served_ = false;
    bool offline_shown_ = false;  ///< an offline line was printed since the last online
    std::optional<Status> result_;
    Timer progress_;
    RateWindow window_;
    bool progress_shown_ = false;
    /// Between stdio connections: stdout's reader leaving ends the listener.
    FdWatch stdout_watch_;
};

RelayListener::Admission Listener::admit(const control::Accept& a, const ConnectionInfo& info,
                                         const std::string& subprotocol) {
    using Admission = RelayListener::Admission;
    std::string from = fmt::format("{}:{}", text::printable(info.remote_address), info.remote_port);
    verbose(fmt::format("connection {} from {}{}", text::printable(info.id), from,
                        info.path_suffix.empty() ? "" : " path /" + text::printable(info.path_suffix)));
    if (result_) return Admission::no({503, "Service Unavailable: the listener is shutting down"});
    if (cfg_.reject_all) return Admission::no(*cfg_.reject_all);
    // --once: one connection, and while the accept hook decides about a
    // sender nobody else gets in; a rejected sender does not count.
    std::size_t limit = cfg_.exec.empty() || cfg_.once ? 1 : cfg_.max_connections;
    if ((cfg_.once && served_) || conns_.size() + hooks_.size() >= limit)
        return Admission::no({503, "Busy: the listener is serving as many connections as it may"});
    if (cfg_.accept_cmd.empty()) return Admission::yes();
    auto child = spawn_shell({cfg_.accept_cmd, connection_env(info, cfg_.target.entity, subprotocol), true, true, true});
    if (!child) {
        verbose(child.error().message());
        return Admission::no({500, "Internal Server Error: the accept command could not run"});
    }
    // Its stdin is an empty pipe, never our stdin (which may be the data).
    ::close(child->stdin_fd);
    std::uint64_t id = next_id_++;
    auto h = std::make_unique<Hook>(Hook{*child, a, info, subprotocol, std::make_unique<Timer>(loop_)});
    h->deadline->start(cfg_.accept_timeout, [this, id] { hook_timed_out(id); });
    loop_.watch_child(child->pid, [this, id](int ws) { hook_exited(id, ws); });
    hooks_[id] = std::move(h);
    return Admission::later();
}

void Listener::accepted(const control::Accept& a, const ConnectionInfo& info, const std::string& subprotocol,
                        std::unique_ptr<RelayStream> relay) {
    auto conn = std::make_unique<Conn>();
    conn->info = info;
    std::unique_ptr<FdEndpoint> local;
    if (!cfg_.exec.empty()) {
        std::string app_subprotocol = eos::is_internal(subprotocol) ? std::string() : subprotocol;
        auto child = spawn_shell({cfg_.exec, connection_env(info, cfg_.target.entity, app_subprotocol), true, true, true});
        if (!child) {
            verbose(child.error().message());
            return core_.reject(a, {500, "Internal Server Error: the command could not start"});
        }
        local = std::make_unique<ExecEndpoint>(loop_, *child, "the command");
    } else {
        stdout_watch_.stop();
        local = make_stdio_endpoint(loop_, "stdout");
    }
    std::uint64_t id = next_id_++;
    conn->relay = relay.get();
    if (cfg_.tap) relay->set_tap(cfg_.tap);
    conn->copier = std::make_unique<Copier>(loop_, std::move(local), std::move(relay), CopyOptions{},
                                            [this, id](Copier&, const Status& st) { session_done(id, st); });
    Copier& copier = *conn->copier;
    conns_[id] = std::move(conn);
    served_ = true;
    status("accepted", {{"id", a.id}, {"remote", info.remote_address}, {"path", info.path_suffix}},
           fmt::format("accepted {}", text::printable(a.id)));
    copier.start();
}

void Listener::session_done(std::uint64_t id, const Status& st) {
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    Conn& c = *it->second;
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - c.started);
    nlohmann::json fields{{"id", c.info.id},           {"ok", st.ok()},
                          {"complete", st.ok()},       {"reason", st.ok() ? "" : st.error().message()},
                          {"received", c.received()},  {"sent", c.sent()},
                          {"duration_ms", took.count()}, {"end_records", c.relay->link().records()}};
    if (const WsClose* close = c.relay->relay_close(); close && close->code) {
        fields["close_code"] = close->code;
        fields["close_reason"] = close->reason;
    }
    status("closed", fields,
           st.ok() ? fmt::format("connection {} closed", c.info.id)
                   : fmt::format("connection {} failed: {}", c.info.id, st.error().message()));
    if (progress_shown_) {
        // The meter's last line shows the real total, then how it ended.
        progress_shown_ = false;
        std::uint64_t b = std::max(c.received(), c.sent());
        cfg_.progress_sink("\r" + progress_line(b, took, std::nullopt) + "\x1b[K\n");
        if (cfg_.log) cfg_.log(summary_line(c.sent(), c.received(), took, st.ok() ? "complete" : "incomplete"));
    }
    // Freed on the next turn: this runs inside the copier's own callback.
    std::shared_ptr<Conn> gone(std::move(it->second));
    conns_.erase(it);
    loop_.defer([gone] {});
    // With --exec the status includes the command's own (the copier waited for it).
    if (cfg_.once) return finish(st);
    if (!stopped_for_stdout(st)) watch_stdout();
}

bool Listener::stopped_for_stdout(const Status& st) {
    // Stdout's reader went away: no later connection could deliver a byte,
    // so stop as a filter stops on EPIPE instead of failing every sender.
    if (!cfg_.exec.empty() || !reader_gone(STDOUT_FILENO)) return false;
    verbose("stdout's reader went away: not accepting further connections");
    finish(st);
    return true;
}

void Listener::watch_stdout() {
    // Between stdio connections (accepted() stops the watch). Only a pipe we
    // write to tells of its reader's leaving (as an error); anything else (a
    // terminal is often readable) is never watched.
    if (!cfg_.exec.empty() || result_ || !write_only_pipe(STDOUT_FILENO)) return;
    stdout_watch_.readable(STDOUT_FILENO, [this] {
        if (!stopped_for_stdout({})) watch_stdout();
    });
}

void Listener::hook_exited(std::uint64_t id, int wait_status) {
    auto it = hooks_.find(id);
    if (it == hooks_.end()) return;
    std::unique_ptr<Hook> h = std::move(it->second);
    hooks_.erase(it);
    std::string out(4096, '\0');
    ssize_t n = ::read(h->child.stdout_fd, out.data(), out.size());
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    ::close(h->child.stdout_fd);
    if (exit_code_of(wait_status) == 0) return core_.accept(h->accept, h->info, h->subprotocol);
    Verdict v{403, "Forbidden: rejected by the accept command"};
    if (auto p = parse_verdict(out.substr(0, out.find('\n')))) v = *p;
    core_.reject(h->accept, v);
}

void Listener::hook_timed_out(std::uint64_t id) {
    auto it = hooks_.find(id);
    if (it == hooks_.end()) return;
    std::unique_ptr<Hook> h = std::move(it->second);
    hooks_.erase(it);
    ::kill(-h->child.pid, SIGKILL);
    loop_.forget_child(h->child.pid);  // reaped when it is gone, nobody waiting
    ::close(h->child.stdout_fd);
    core_.reject(h->accept, {500, "Internal Server Error: the accept command timed out"});
}

void Listener::show_progress() {
    if (conns_.size() == 1) {
        const Conn& conn = *conns_.begin()->second;
        std::uint64_t b = std::max(conn.received(), conn.sent());
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
    core_.stop();
    // Each connection's peer hears it was cut (1011, "interrupted"); a
    // command is stopped with its whole process group.
    for (auto& [id, c] : conns_) c->copier->abort(make_error(Exit::interrupted, "", "interrupted"));
    for (auto& [id, h] : hooks_) {
        ::kill(-h->child.pid, SIGKILL);
        loop_.forget_child(h->child.pid);
        ::close(h->child.stdout_fd);
    }
    hooks_.clear();
}

Status Listener::run() {
    core_.start();
    watch_stdout();
    if (cfg_.progress && cfg_.exec.empty() && cfg_.progress_sink) show_progress();
    Timer give_up(loop_);
    bool gave_up = false;
    loop_.run_until([&] {
        if (loop_.interrupted() && !result_) finish(make_error(Exit::interrupted, "", "interrupted"));
        if (!result_) return false;
        // Closing handshakes get two seconds after the end.
        if (!give_up.pending() && !gave_up) give_up.start(std::chrono::seconds(2), [&] { gave_up = true; });
        bool quiet = core_.quiet() && conns_.empty();
        return quiet || gave_up;
    });
    progress_.cancel();
    return *result_;
}

}  // namespace

Status run_listener(const ListenerConfig& config) {
    // Each connection holds its socket and up to three pipes to its command,
    // and one waiting for --accept-cmd three more; plus the control channel,
    // stdio and the signal descriptor.
    auto loop = EventLoop::create(config.client.tls, 256 + 8 * config.max_connections);
    if (!loop) return loop.error();
    (*loop)->set_proxy(config.client.proxy);
    (*loop)->set_source_address(config.client.source);
    Listener listener(**loop, config);
    return listener.run();
}

}  // namespace hyco
