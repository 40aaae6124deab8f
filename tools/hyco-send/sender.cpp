// hyco-send's run (see sender.h): connect as a sender, copy, map the way
// the connection ended to an exit status.
#include "tools/hyco-send/sender.h"

#include <unistd.h>

#include <chrono>
#include <memory>

#include "core/auth/crypto.h"
#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/json_text.h"
#include "core/relay/relay_errors.h"
#include "core/stream/copier.h"
#include "core/stream/progress.h"
#include "core/stream/stream_end.h"
#include "tools/hyco-send/messages_endpoint.h"

namespace hyco {

Status run_sender(const SenderConfig& cfg, int stdin_fd, int stdout_fd) {
    // One connection, stdio and at most one command's pipes.
    auto loop_r = EventLoop::create(cfg.client.tls, 256);
    if (!loop_r) return loop_r.error();
    EventLoop& loop = **loop_r;
    loop.set_proxy(cfg.client.proxy);
    loop.set_source_address(cfg.client.source);

    UriParams params;
    params.id = crypto::uuid4();
    params.suffix = cfg.suffix;
    params.query = cfg.query;
    WsTarget target = relay_ws_target(cfg.target, Action::connect, params, cfg.client, unix_now());
    target.subprotocols = eos::offer(cfg.client.subprotocols);
    const std::string url = sas::redact_in(target.url());
    if (cfg.client.verbose && cfg.log) cfg.log("connecting to " + url + cfg.client.proxy.via(target.host, target.tls));

    RelayStreamOptions so = cfg.stream;
    so.sender = true;
    const bool scripted = !cfg.messages.empty();
    std::unique_ptr<FdEndpoint> local;
    if (scripted || !cfg.read_input) {
        // The messages are all of our data; without records our Close waits
        // for the listener's (-U sends none of its own).
        ::close(stdin_fd);
        local = std::make_unique<MessagesEndpoint>(loop, cfg.messages, stdout_fd, "stdout");
        so.end_of_input = scripted ? RelayStreamOptions::EndOfInput::hold : RelayStreamOptions::EndOfInput::after_peer;
        so.whole_writes = true;
        if (scripted && !so.max_messages && !cfg.wait) so.max_messages = 1;
    } else {
        local = std::make_unique<FdEndpoint>(loop, stdin_fd, stdout_fd, "stdout");
        local->end_session_when_reader_leaves();
    }
    auto relay_owned = std::make_unique<RelayStream>(loop, target, cfg.client.timeouts, "connection", so);
    RelayStream& relay = *relay_owned;
    if (cfg.tap) relay.set_tap(cfg.tap);
    std::optional<Status> result;
    Copier copier(loop, std::move(local), std::move(relay_owned), CopyOptions{},
                  [&](Copier&, const Status& st) { result = st; });
    auto sent = [&] { return copier.bytes(0); };
    auto received = [&] { return copier.bytes(1); };
    auto last_close = [&] { return relay.relay_close() ? *relay.relay_close() : WsClose{}; };

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
        bool sending = sent() >= received();
        std::uint64_t bytes = sending ? sent() : received();
        window.sample(elapsed(), bytes);
        return progress_line(bytes, elapsed(), sending ? cfg.input_size : std::nullopt, window.rate());
    };
    std::function<void()> tick = [&] {
        if (cfg.json) {
            cfg.json(json_line(nlohmann::json{{"event", "progress"}, {"sent", sent()}, {"received", received()},
                                              {"elapsed_ms", elapsed().count()}}));
        } else if (cfg.progress_sink) {
            cfg.progress_sink("\r" + meter() + "\x1b[K");
            progress_shown = true;
        }
        progress_timer.start(std::chrono::milliseconds(500), tick);
    };
    if (cfg.progress || cfg.json) progress_timer.start(std::chrono::milliseconds(500), tick);

    copier.on_open([&] {
        std::string sp = relay.link().subprotocol();
        if (cfg.client.verbose && cfg.log)
            cfg.log("connected" + (sp.empty() ? std::string() : " (subprotocol " + sp + ")") +
                    (relay.link().records() ? ", end records on" : ""));
        if (cfg.json)
            cfg.json(json_line(nlohmann::json{{"event", "connected"},
                                              {"subprotocol", sp},
                                              {"end_records", relay.link().records()}}));
        if (scripted && cfg.wait) wait_timer.start(*cfg.wait, [&] { copier.conclude(); });
    });
    copier.start();

    bool interrupted = false;
    bool gave_up = false;
    Timer give_up(loop);
    loop.run_until([&] {
        if (loop.interrupted() && !interrupted) {
            interrupted = true;
            // A clean close gets two seconds; a stuck consumer does not hold us.
            give_up.start(std::chrono::seconds(2), [&] { gave_up = true; });
            copier.abort(make_error(Exit::interrupted, "", "interrupted"));
        }
        return result.has_value() || gave_up;
    });
    progress_timer.cancel();
    Status final = interrupted ? Status(make_error(Exit::interrupted, "", "interrupted"))
                   : !result   ? Status(make_error(Exit::failure, "", "the event loop stopped"))
                   : !result->ok() && !last_close().established
                       ? Status(sender_connect_error(last_close(), "connect to " + url))
                       : *result;
    std::string verdict = final ? "complete" : "incomplete";
    // The final line shows the real totals (and appears also when the
    // transfer beat the first tick), then one line that says how it ended.
    if (progress_shown || (cfg.progress && cfg.progress_sink && !cfg.json)) {
        cfg.progress_sink("\r" + progress_line(sent() >= received() ? sent() : received(), elapsed(),
                                               sent() >= received() ? cfg.input_size : std::nullopt) +
                          "\x1b[K\n");
        if (cfg.log) cfg.log(summary_line(sent(), received(), elapsed(), verdict));
    }
    if (cfg.json) {
        const WsClose close = last_close();
        nlohmann::json j{{"event", "done"},        {"sent", sent()},
                         {"received", received()}, {"duration_ms", elapsed().count()},
                         {"complete", final.ok()}, {"end_records", relay.link().records()},
                         {"exit", final ? 0 : exit_code(final.error().code)}};
        if (close.code) {
            j["close_code"] = close.code;
            j["close_reason"] = close.reason;
        }
        if (!final) j["error"] = final.error().message();
        if (auto& e = relay.link().remote_exit()) {
            j["remote_exit"] = e->code;
            if (e->signal) j["remote_signal"] = e->signal;
        }
        cfg.json(json_line(j));
    }
    return final;
}

}  // namespace hyco
