// hyco-send's engine (see sender.h): connect as a sender, copy, map the
// way the connection ended to an exit status.
#include "core/sender.h"

#include <chrono>

#include "core/crypto.h"
#include "core/duration.h"
#include "core/progress.h"
#include "core/relay_errors.h"
#include "core/sas.h"
#include "core/stream_end.h"

namespace hyco {

Status run_sender(const SenderConfig& cfg, int stdin_fd, int stdout_fd) {
    auto loop_r = EventLoop::create(cfg.client.tls);
    if (!loop_r) return loop_r.error();
    EventLoop& loop = **loop_r;

    UriParams params;
    params.id = crypto::uuid4();
    params.suffix = cfg.suffix;
    params.query = cfg.query;
    WsTarget target = relay_ws_target(cfg.target, Action::connect, params, cfg.client, unix_now());
    target.subprotocols = eos::offer(cfg.client.subprotocols);
    const std::string url = sas::redact_in(target.url());
    if (cfg.client.verbose && cfg.log) cfg.log("connecting to " + url);

    SessionOptions so = cfg.session;
    const bool scripted = !cfg.messages.empty();
    if (scripted) {
        so.read_input = false;
        if (!so.max_messages && !cfg.wait) so.max_messages = 1;
    }
    std::optional<Status> result;
    Session session(loop, so, target, cfg.client.timeouts, stdin_fd, stdout_fd, "stdout",
                    [&](Session&, const Status& st) { result = st; });

    Timer wait_timer(loop);
    Timer progress_timer(loop);
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    };
    bool progress_shown = false;
    auto show_progress = [&] {
        if (!cfg.progress || !cfg.progress_sink) return;
        const SessionCounters& c = session.counters();
        std::uint64_t bytes = c.bytes_out > c.bytes_in ? c.bytes_out : c.bytes_in;
        cfg.progress_sink("\r" + progress_line(bytes, elapsed(), c.bytes_out >= c.bytes_in ? cfg.input_size : std::nullopt) +
                          "\x1b[K");
        progress_shown = true;
    };
    std::function<void()> tick = [&] {
        show_progress();
        progress_timer.start(std::chrono::milliseconds(500), tick);
    };
    if (cfg.progress) progress_timer.start(std::chrono::milliseconds(500), tick);

    session.on_open([&] {
        if (cfg.client.verbose && cfg.log) {
            std::string sp = session.link().subprotocol();
            cfg.log("connected" + (sp.empty() ? std::string() : " (subprotocol " + sp + ")"));
        }
        if (scripted && cfg.wait) wait_timer.start(*cfg.wait, [&] { session.finish(); });
    });
    for (const std::string& m : cfg.messages) session.send_message(m, so.framing == Framing::binary);
    if (auto st = session.start(); !st) return st;

    bool interrupted = false;
    std::chrono::steady_clock::time_point give_up;
    loop.run_until([&] {
        if (EventLoop::interrupted() && !interrupted) {
            interrupted = true;
            give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            session.interrupt();
        }
        // A clean close gets two seconds; a stuck consumer does not hold us.
        return result.has_value() || (interrupted && std::chrono::steady_clock::now() > give_up);
    });
    progress_timer.cancel();
    // The final line also when the transfer beat the first tick.
    if (progress_shown || (cfg.progress && cfg.progress_sink && result && result->ok())) {
        show_progress();
        cfg.progress_sink("\n");
    }
    if (interrupted) return make_error(Exit::interrupted, "", "interrupted");
    if (!result) return make_error(Exit::failure, "", "the event loop stopped");
    if (!result->ok() && !session.last_close().established)
        return sender_connect_error(session.last_close(), "connect to " + url);
    return *result;
}

}  // namespace hyco
