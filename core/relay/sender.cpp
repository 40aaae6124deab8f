// hyco-send's engine (see sender.h): connect as a sender, copy, map the
// way the connection ended to an exit status.
#include "core/relay/sender.h"

#include <chrono>

#include "core/auth/crypto.h"
#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/json_text.h"
#include "core/relay/relay_errors.h"
#include "core/stream/progress.h"
#include "core/stream/stream_end.h"

namespace hyco {

Status run_sender(const SenderConfig& cfg, int stdin_fd, int stdout_fd) {
    auto loop_r = EventLoop::create(cfg.client.tls);
    if (!loop_r) return loop_r.error();
    EventLoop& loop = **loop_r;
    loop.set_proxy(cfg.client.proxy);

    UriParams params;
    params.id = crypto::uuid4();
    params.suffix = cfg.suffix;
    params.query = cfg.query;
    WsTarget target = relay_ws_target(cfg.target, Action::connect, params, cfg.client, unix_now());
    target.subprotocols = eos::offer(cfg.client.subprotocols);
    const std::string url = sas::redact_in(target.url());
    if (cfg.client.verbose && cfg.log) cfg.log("connecting to " + url + cfg.client.proxy.via(target.host, target.tls));

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
    RateWindow window;
    bool progress_shown = false;
    // The direction that moves more is the one the meter follows; the input
    // size is its total only when it is our input.
    auto meter = [&] {
        const SessionCounters& c = session.counters();
        bool sending = c.bytes_out >= c.bytes_in;
        std::uint64_t bytes = sending ? c.bytes_out : c.bytes_in;
        window.sample(elapsed(), bytes);
        return progress_line(bytes, elapsed(), sending ? cfg.input_size : std::nullopt, window.rate());
    };
    std::function<void()> tick = [&] {
        if (cfg.json) {
            const SessionCounters& c = session.counters();
            cfg.json(json_line(nlohmann::json{{"event", "progress"}, {"sent", c.bytes_out}, {"received", c.bytes_in},
                                              {"elapsed_ms", elapsed().count()}}));
        } else if (cfg.progress_sink) {
            cfg.progress_sink("\r" + meter() + "\x1b[K");
            progress_shown = true;
        }
        progress_timer.start(std::chrono::milliseconds(500), tick);
    };
    if (cfg.progress || cfg.json) progress_timer.start(std::chrono::milliseconds(500), tick);

    session.on_open([&] {
        std::string sp = session.link().subprotocol();
        if (cfg.client.verbose && cfg.log)
            cfg.log("connected" + (sp.empty() ? std::string() : " (subprotocol " + sp + ")") +
                    (session.link().records() ? ", end records on" : ""));
        if (cfg.json)
            cfg.json(json_line(nlohmann::json{{"event", "connected"},
                                              {"subprotocol", sp},
                                              {"end_records", session.link().records()}}));
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
    Status final = interrupted ? Status(make_error(Exit::interrupted, "", "interrupted"))
                   : !result   ? Status(make_error(Exit::failure, "", "the event loop stopped"))
                   : !result->ok() && !session.last_close().established
                       ? Status(sender_connect_error(session.last_close(), "connect to " + url))
                       : *result;
    const SessionCounters& c = session.counters();
    std::string verdict = final ? "complete" : "incomplete";
    // The final line shows the real totals (and appears also when the
    // transfer beat the first tick), then one line that says how it ended.
    if (progress_shown || (cfg.progress && cfg.progress_sink && !cfg.json)) {
        cfg.progress_sink("\r" + progress_line(c.bytes_out >= c.bytes_in ? c.bytes_out : c.bytes_in, elapsed(),
                                        c.bytes_out >= c.bytes_in ? cfg.input_size : std::nullopt) +
                          "\x1b[K\n");
        if (cfg.log) cfg.log(summary_line(c.bytes_out, c.bytes_in, elapsed(), verdict));
    }
    if (cfg.json) {
        const WsClose& close = session.last_close();
        nlohmann::json j{{"event", "done"},        {"sent", c.bytes_out},
                         {"received", c.bytes_in}, {"duration_ms", elapsed().count()},
                         {"complete", final.ok()}, {"end_records", session.link().records()},
                         {"exit", final ? 0 : exit_code(final.error().code)}};
        if (close.code) {
            j["close_code"] = close.code;
            j["close_reason"] = close.reason;
        }
        if (!final) j["error"] = final.error().message();
        if (auto& e = session.link().remote_exit()) {
            j["remote_exit"] = e->code;
            if (e->signal) j["remote_signal"] = e->signal;
        }
        cfg.json(json_line(j));
    }
    return final;
}

}  // namespace hyco
