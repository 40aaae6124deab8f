// One WsClient per step, driven to its end on the loop. A step never waits
// longer than the connect timeout for each phase (open, echo) and a close
// handshake gets a few seconds before the connection is cut.
#include "tools/hyco-probe/ws_check.h"

#include <fmt/format.h>

#include <optional>

#include "core/auth/crypto.h"
#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/relay/relay_errors.h"
#include "core/ws/ws_client.h"

namespace hyco::probe {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kCloseWait{5000};

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

/// Runs one connection: open, then what `on_open` starts, until closed.
class Check final : public WsClient::Events {
public:
    Check(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string echo)
        : loop_(loop), echo_(std::move(echo)), timer_(loop) {
        ws_ = std::make_unique<WsClient>(loop, *this, std::move(target), timeouts);
        phase_timeout_ = timeouts.connect;
    }

    /// Runs to the end. False when interrupted (Ctrl-C).
    bool run() {
        started_ = Clock::now();
        ws_->connect();
        loop_.run_until([&] { return closed_.has_value() || loop_.interrupted(); });
        if (!closed_) ws_->abort();
        return closed_.has_value();
    }

    Clock::time_point started_;
    std::optional<Clock::time_point> opened_;
    std::optional<Clock::time_point> echoed_;
    std::optional<Clock::time_point> echo_sent_;
    std::optional<WsClose> closed_;
    std::optional<Error> failure_;  ///< ours: a wrong echo, an echo timeout

private:
    void ws_open(WsClient& ws) override {
        opened_ = Clock::now();
        if (echo_.empty()) {
            close(ws);
        } else {
            echo_sent_ = Clock::now();
            ws.send_text(echo_);
            timer_.start(phase_timeout_, [this] {
                fail(make_error(
                    Exit::timeout, "",
                    fmt::format("no echo within {} ms (is the listener hyco-listen -e cat?)", phase_timeout_.count())));
            });
        }
    }
    /// Our Close; a relay that never answers it must not hold the probe.
    void close(WsClient& ws) {
        ws.finish(1000);
        timer_.start(kCloseWait, [this] {
            fail(make_error(Exit::timeout, "", fmt::format("no answer to our Close within {} ms", kCloseWait.count())));
        });
    }
    void ws_data(WsClient& ws, std::string_view piece, bool final, bool) override {
        if (echoed_ || echo_.empty()) return;
        got_ += piece;
        if (!final) return;
        std::string_view got = got_;
        if (!got.empty() && got.back() == '\n') got.remove_suffix(1);
        if (got != echo_) {
            fail(make_error(Exit::failure, "", "the listener answered, but not with an echo of what was sent"));
            return;
        }
        echoed_ = Clock::now();
        timer_.cancel();
        close(ws);
    }
    void ws_closed(WsClient&, const WsClose& close) override {
        timer_.cancel();
        closed_ = close;
    }
    void fail(Error e) {
        failure_ = std::move(e);
        ws_->abort();
    }

    EventLoop& loop_;
    std::string echo_;
    std::string got_;
    std::chrono::milliseconds phase_timeout_;
    Timer timer_;
    std::unique_ptr<WsClient> ws_;
};

Error interrupted() { return make_error(Exit::interrupted, "", "interrupted"); }

/// How a connection that did open ended, as a failure, or nullopt when it
/// closed normally.
std::optional<Error> close_failure(const WsClose& c) {
    if (c.kind != WsClose::Kind::failed && (c.code == 1000 || c.code == 1005 || c.code == 0)) return std::nullopt;
    if (c.error) return *c.error;
    return make_error(Exit::failure, "",
                      fmt::format("the connection closed with {} {}", c.code, without_tracking(c.reason)));
}

}  // namespace

StepResult check_sender(EventLoop& loop, const RelayTarget& target, const ClientOptions& client, bool echo,
                        const LogSink& log) {
    UriParams params;
    params.id = crypto::uuid4();
    WsTarget t = relay_ws_target(target, Action::connect, params, client, unix_now());
    t.subprotocols = client.subprotocols;
    if (log) log("sender: connecting to " + sas::redact_in(t.url()));
    Check check(loop, std::move(t), client.timeouts, echo ? "hyco-probe echo " + params.id : "");
    if (!check.run()) return StepResult::failed("sender", interrupted());
    const WsClose& c = *check.closed_;
    if (!check.opened_) {
        Error e = sender_connect_error(c, "");
        double ms = ms_between(check.started_, Clock::now());
        e.why = without_tracking(e.why);
        if (e.code == Exit::not_found && e.why.find("listener") == std::string::npos)
            e.why += ": no listener is online for this entity, or it does not exist";
        return StepResult::failed("sender", e, ms);
    }
    double connect_ms = ms_between(check.started_, *check.opened_);
    if (check.failure_) return StepResult::failed("sender", *check.failure_, connect_ms);
    if (auto e = close_failure(c)) return StepResult::failed("sender", *e, connect_ms);
    std::string detail = "connected through the relay to a listener";
    if (check.echoed_)
        detail += fmt::format("; echo round trip {:.1f} ms", ms_between(*check.echo_sent_, *check.echoed_));
    return {"sender", Verdict::ok, connect_ms, detail + "; closed cleanly"};
}

StepResult check_listener(EventLoop& loop, const RelayTarget& target, const ClientOptions& client, const LogSink& log) {
    UriParams params;
    params.id = crypto::uuid4();
    WsTarget t = relay_ws_target(target, Action::listen, params, client, unix_now());
    if (log) log("listener: connecting to " + sas::redact_in(t.url()));
    Check check(loop, std::move(t), client.timeouts, "");
    if (!check.run()) return StepResult::failed("listener", interrupted());
    const WsClose& c = *check.closed_;
    if (!check.opened_) {
        bool fatal = false;
        Error e = listener_connect_error(c, "", fatal);
        e.why = without_tracking(e.why);
        return StepResult::failed("listener", e, ms_between(check.started_, Clock::now()));
    }
    double ms = ms_between(check.started_, *check.opened_);
    if (auto e = close_failure(c)) return StepResult::failed("listener", *e, ms);
    return {"listener", Verdict::ok, ms, "control channel accepted, closed cleanly"};
}

}  // namespace hyco::probe
