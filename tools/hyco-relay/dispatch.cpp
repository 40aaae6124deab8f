// The first handler of every connection: reads one request head and hands
// it to the room that serves it (status, WebSocket actions, management,
// HTTP gateway).
#include "tools/hyco-relay/dispatch.h"

#include <fmt/format.h>

#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/io/event_loop.h"
#include "tools/hyco-relay/answers.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/http_gateway.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/management.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/routing.h"
#include "tools/hyco-relay/ws_actions.h"

namespace hyco::relay {
namespace {

/// Reads one request head within kHeadTimeout.
class HeadReader : public Handler {
public:
    explicit HeadReader(Conn& conn) : timer_(conn.relay.loop()) {
        timer_.start(kHeadTimeout, [&conn] {
            if (conn.in.empty()) {
                conn.finish();
                return;
            }
            refuse(conn, 408, "RequestTimeout: the request head did not arrive in time.");
        });
    }

    void on_input(Conn& conn) override {
        auto r = parse_request_head(conn.in);
        if (r.state == HeadResult::State::incomplete) return;
        timer_.cancel();
        if (r.state == HeadResult::State::error) {
            conn.in.clear();
            refuse(conn, r.refusal.status, "BadRequest: " + r.refusal.reason);
            return;
        }
        conn.in.erase(0, r.request.head_size);
        route(conn, std::move(r.request));
    }
    const char* kind() const override { return "http"; }

private:
    Timer timer_;
};

/// Answers 503 to a connection over --max-connections.
class OverloadAnswer : public Handler {
public:
    explicit OverloadAnswer(Conn& conn) : timer_(conn.relay.loop()) {
        timer_.start(Conn::kLinger, [&conn] { conn.abort(); });
    }
    void on_input(Conn& conn) override {
        timer_.cancel();
        // A rendezvous head comes in one piece; an incomplete one is not waited for.
        if (auto r = parse_request_head(conn.in); r.state == HeadResult::State::complete) {
            conn.in.erase(0, r.request.head_size);
            if (turned_away(conn, r.request)) return;
        }
        conn.in.clear();
        answer_and_close(conn, error_response(503,
                                              fmt::format("ServerBusy: the relay serves its maximum of {} "
                                                          "connections (--max-connections); retry later.",
                                                          conn.relay.config().max_connections),
                                              false, "Retry-After: 5\r\n"));
    }
    const char* kind() const override { return "overload"; }

private:
    Timer timer_;
};

}  // namespace

std::unique_ptr<Handler> make_head_reader(Conn& conn) { return std::make_unique<HeadReader>(conn); }

std::unique_ptr<Handler> make_overload_answer(Conn& conn) { return std::make_unique<OverloadAnswer>(conn); }

void route(Conn& conn, HttpRequest req) {
    std::string_view path = req.path();
    if (path == "/$relay/status" || path == "/%24relay/status") {
        // It names entities, listener ids and peers' addresses: Manage only,
        // for the whole namespace, unless --status-public.
        bool head = req.method == "HEAD";
        if (!conn.relay.config().status_public) {
            std::vector<std::string> tokens;
            if (const std::string* h = req.header("Authorization")) tokens.push_back(*h);
            for (const std::string& t : tokens_of(req, parse_query(req.query()))) tokens.push_back(t);
            std::string host = req.header("Host") ? host_of(*req.header("Host")) : std::string();
            AuthResult a = authorize(conn.relay.config(), tokens, "", host, kManage, unix_now());
            if (!a.ok()) return refuse(conn, a.refused->status, a.refused->reason + " (the status page needs a Manage token for the namespace, or --status-public)", head);
        }
        std::string body = conn.relay.status_json();
        answer_and_close(conn, fmt::format("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
                                           "Connection: close\r\n\r\n{}",
                                           body.size(), head ? "" : body));
        return;
    }
    std::string_view rest;
    for (std::string_view prefix : {"/$hc/", "/%24hc/", "/%24HC/"})
        if (path.size() >= prefix.size() && text::iequals(path.substr(0, prefix.size()), prefix))
            rest = path.substr(prefix.size());
    bool hc = !rest.empty() || text::iequals(path, "/$hc") || text::iequals(path, "/$hc/");
    if (!hc) {
        if (req.method == "CONNECT") return refuse(conn, 405, "MethodNotAllowed: CONNECT is not relayed.");
        if (req.header("Upgrade"))
            return refuse(conn, 400, "BadRequest: protocol upgrades are only relayed under /$hc/.");
        if (route_management(conn, req)) return;
        return route_http(conn, std::move(req));
    }
    if (auto refused = check_upgrade(req))
        return refuse(conn, refused->status, "BadRequest: " + refused->reason);
    std::vector<std::string> segs;
    if (!decode_segments(rest, segs)) return refuse(conn, 400, "BadRequest: malformed entity path.");
    auto params = parse_query(req.query());
    std::string action = query_value(params, "sb-hc-action").value_or("connect");
    if (action == "listen") return route_listen(conn, req, segs, params);
    if (action == "connect") return route_connect(conn, req, segs, params);
    if (action == "accept" || action == "request") {
        auto id = query_value(params, "sb-hc-id");
        if (!id || id->empty()) return refuse(conn, 400, "BadRequest: the rendezvous address has no sb-hc-id.");
        if (action == "accept") return route_accept(conn, req, params, *id);
        return route_http_rendezvous(conn, req, *id);
    }
    refuse(conn, 400, fmt::format("BadRequest: unknown sb-hc-action {}.", text::quote(action, 30)));
}

}  // namespace hyco::relay
