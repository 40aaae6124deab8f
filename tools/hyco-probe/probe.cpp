// The order matters: the runtime information is read before the listener
// step, whose own control channel would otherwise be counted, and the
// sender goes first of the two so it cannot be routed to the probe's own
// listener.
#include "tools/hyco-probe/probe.h"

#include <fmt/format.h>

#include <chrono>

#include "core/base/duration.h"
#include "tools/hyco-probe/runtime_query.h"
#include "tools/hyco-probe/token_check.h"
#include "tools/hyco-probe/transport.h"
#include "tools/hyco-probe/ws_check.h"

namespace hyco::probe {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string tls_detail(const TlsPeer& p, std::int64_t now) {
    std::string expiry = p.not_after == 0    ? "expiry unknown"
                         : p.not_after > now ? fmt::format("expires {} (in {})", format_utc(p.not_after),
                                                           format_duration(std::chrono::seconds(p.not_after - now)))
                                             : fmt::format("expired {}", format_utc(p.not_after));
    return fmt::format("{}, subject {}, issuer {}, {}, {}", p.protocol, p.subject, p.issuer, expiry,
                       p.verified ? "verified" : "NOT verified: " + p.verify_error);
}

/// Steps after a failed one say which one stopped them.
struct Gate {
    std::string blocked_by;
    bool open() const { return blocked_by.empty(); }
    void close(const StepResult& r) {
        if (open() && r.verdict != Verdict::ok && r.verdict != Verdict::warn) blocked_by = r.step;
    }
    StepResult skip(const std::string& step) const { return StepResult::skipped(step, blocked_by + " failed"); }
};

}  // namespace

std::vector<StepResult> run_probe(const ProbeConfig& config, const std::function<void(const StepResult&)>& report) {
    std::vector<StepResult> results;
    auto add = [&](StepResult r) {
        report(r);
        results.push_back(std::move(r));
        return results.back();
    };
    const RelayTarget& target = config.target;
    auto timeout = config.client.timeouts.connect;
    Gate net;

    // Through a proxy the probe's own steps reach the proxy and then tunnel:
    // dns resolves the proxy, tcp connects to it and opens the tunnel.
    const std::optional<ProxyServer> proxy = config.client.proxy.route(target.ns.host, target.ns.tls);
    const std::string dial_host = proxy ? proxy->host : target.ns.host;
    const std::uint16_t dial_port = proxy ? proxy->port : target.ns.effective_port();
    const std::string dial_what = proxy ? "the proxy " + proxy->host : target.ns.host;

    // Made first: its signal descriptor also ends the blocking steps' waits
    // when Ctrl-C comes, and it carries the sender and listener steps.
    auto loop = EventLoop::create(config.client.tls);
    auto t0 = Clock::now();
    auto addresses = loop ? resolve(dial_host, dial_port) : Result<std::vector<Address>>(loop.error());
    if (!addresses) {
        net.close(add(StepResult::failed("dns", addresses.error(), ms_since(t0))));
    } else {
        std::string list;
        for (std::size_t i = 0; i < addresses->size() && i < 4; ++i) list += (i ? ", " : "") + (*addresses)[i].text;
        if (addresses->size() > 4) list += fmt::format(" (+{} more)", addresses->size() - 4);
        bool literal = addresses->size() == 1 && (*addresses)[0].text == dial_host;
        add({"dns", Verdict::ok, ms_since(t0),
             literal ? list + " (an address: nothing to look up)" : dial_what + " is " + list});
    }

    std::unique_ptr<Connection> conn;
    if (!net.open()) {
        add(net.skip("tcp"));
    } else {
        t0 = Clock::now();
        auto c = open_tcp(*addresses, timeout, **loop);
        if (!c) {
            net.close(add(StepResult::failed("tcp", c.error(), ms_since(t0))));
        } else if (!proxy) {
            conn = std::move(*c);
            add({"tcp", Verdict::ok, ms_since(t0), "connected to " + conn->peer()});
        } else if (auto st = (*c)->open_tunnel(*proxy, target.ns.host, target.ns.effective_port()); !st) {
            net.close(add(StepResult::failed("tcp", st.error(), ms_since(t0))));
        } else {
            conn = std::move(*c);
            add({"tcp", Verdict::ok, ms_since(t0),
                 fmt::format("connected to {}:{} through the proxy {}", target.ns.host, target.ns.effective_port(),
                             conn->peer())});
        }
    }

    if (!net.open()) {
        add(net.skip("tls"));
    } else if (!target.ns.tls) {
        add(StepResult::skipped("tls", "ws:// (development emulator): no TLS"));
    } else {
        t0 = Clock::now();
        auto peer = conn->start_tls(config.client.tls, target.ns.host);
        double ms = ms_since(t0);
        if (!peer) {
            net.close(add(StepResult::failed("tls", peer.error(), ms)));
        } else {
            std::string detail = tls_detail(*peer, unix_now());
            if (peer->verified)
                add({"tls", Verdict::ok, ms, detail});
            else if (config.client.tls.insecure)
                add({"tls", Verdict::warn, ms, detail + " (--insecure)"});
            else
                net.close(add(StepResult::failed(
                    "tls", make_error(Exit::failure, "", detail + " (trust its CA with --ca FILE)"), ms)));
        }
    }

    StepResult token = add(check_token(target, unix_now()));
    Gate auth = net;
    auth.close(token);
    bool anonymous = token.verdict == Verdict::skip && target.credentials.empty();

    auto unwanted = [&](const char* step) { return config.skip.count(step) != 0; };
    auto skipped_by_flag = [](const char* step) { return StepResult::skipped(step, std::string("--skip ") + step); };
    if (unwanted("runtime")) {
        add(skipped_by_flag("runtime"));
    } else if (anonymous && net.open()) {
        add(StepResult::skipped("runtime", "reading runtime information needs a key or token"));
    } else if (!auth.open()) {
        add(auth.skip("runtime"));
    } else {
        add(query_runtime(*conn, target, unix_now(), config.log).step);
    }
    conn.reset();

    // Anonymous: a sender may still be let in; a listener never is.
    Gate sender = net;
    if (!anonymous) sender.close(token);
    if (!loop) {
        add(StepResult::failed("sender", loop.error()));
        add(StepResult::failed("listener", loop.error()));
        return results;
    }
    (*loop)->set_proxy(config.client.proxy);  // the sender and listener steps go the way the tools would
    (*loop)->set_source_address(config.client.source);
    StepResult sent = add(unwanted("sender") ? skipped_by_flag("sender")
                          : sender.open()    ? check_sender(**loop, target, config.client, config.echo, config.log)
                                             : sender.skip("sender"));
    if (unwanted("listener"))
        add(skipped_by_flag("listener"));
    else if (sent.code == Exit::interrupted)
        add(StepResult::skipped("listener", "interrupted"));
    else if (anonymous)
        add(StepResult::skipped("listener", "listening needs a key or token"));
    else
        add(auth.open() ? check_listener(**loop, target, config.client, config.log) : auth.skip("listener"));
    return results;
}

Status verdict(const std::vector<StepResult>& results) {
    for (const StepResult& r : results)
        if (r.verdict == Verdict::fail) return make_error(r.code, r.step, r.detail);
    return {};
}

}  // namespace hyco::probe
