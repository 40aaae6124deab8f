// Request routing and the WebSocket actions. Every refusal answers with the
// status the service uses and a reason phrase naming the failed check.
#include "tools/hyco-relay/router.h"

#include <fmt/format.h>

#include "core/auth/crypto.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/relay/relay_uri.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/control_channel.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/relay.h"
#include "tools/hyco-relay/timer.h"
#include "tools/hyco-relay/ws_bridge.h"

namespace hyco::relay {
namespace {

/// Reads one request head within kHeadTimeout.
class HeadReader : public Handler {
public:
    explicit HeadReader(Conn& conn) : timer_(conn.relay.context()) {
        timer_.arm(kHeadTimeout, [&conn] {
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
    explicit OverloadAnswer(Conn& conn) : timer_(conn.relay.context()) {
        timer_.arm(Conn::kLinger, [&conn] { conn.abort(); });
    }
    void on_input(Conn& conn) override {
        timer_.cancel();
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

/// Swallows input after a final answer.
class Discard : public Handler {
public:
    void on_input(Conn& conn) override { conn.in.clear(); }
    const char* kind() const override { return "closing"; }
};

std::vector<std::string> tokens_of(const HttpRequest& req, const std::vector<QueryParam>& params) {
    std::vector<std::string> out;
    if (const std::string* h = req.header("ServiceBusAuthorization")) out.push_back(*h);
    if (auto q = query_value(params, "sb-hc-token")) out.push_back(*q);
    return out;
}

/// Letters, digits and '-' from a client-supplied tracking id, bounded.
std::string tracking_prefix(const std::vector<QueryParam>& params) {
    std::string out;
    if (auto id = query_value(params, "sb-hc-id"))
        for (char c : *id)
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') out += c;
    return out.substr(0, 64);
}

std::string app_query(const std::vector<QueryParam>& params) {
    std::string out;
    for (const QueryParam& p : params) {
        if (p.name.rfind("sb-hc-", 0) == 0 || p.raw.empty()) continue;
        out += p.raw + "&";
    }
    return out;
}

void route_listen(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                  const std::vector<QueryParam>& params) {
    Relay& relay = conn.relay;
    std::string joined;
    for (const auto& s : segs) joined += (joined.empty() ? "" : "/") + s;
    auto path = normalize_entity_path(joined);
    if (!path) return refuse(conn, 404, "EndpointNotFound: " + path.error().message());
    Entity* e = relay.registry().find(*path);
    if (!e && relay.config().declared_only)
        return refuse(conn, 404, fmt::format("EndpointNotFound: entity '{}' does not exist.", *path));
    std::string host = req.header("Host") ? host_of(*req.header("Host")) : std::string();
    AuthResult a = authorize(relay.config(), tokens_of(req, params), *path, host, kListen, unix_now());
    if (!a.ok()) return refuse(conn, *a.refused);
    if (!e) e = relay.registry().create(*path);
    if (!e) return refuse(conn, 403, "QuotaExceeded: too many entities.");
    std::string listener_id = tracking_prefix(params);
    if (listener_id.empty()) listener_id = crypto::uuid4();
    if (!relay.registry().add_listener(*e, {conn.id, listener_id}, relay.config().max_listeners))
        return refuse(conn, 403,
                      fmt::format("ListenerQuotaExceeded: entity '{}' already has the maximum of {} listeners.",
                                  e->path, relay.config().max_listeners));
    conn.write(upgrade_response(*req.header("Sec-WebSocket-Key"), ""));
    conn.label = fmt::format("listener {} #{} ({})", e->path, conn.id, listener_id);
    relay.verbose(fmt::format("{}: online, token valid until {}", conn.label, format_utc(a.token->expiry)));
    conn.set_handler(std::make_unique<ControlChannel>(conn, e->path, listener_id, host, a.token->expiry));
}

void route_connect(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                   const std::vector<QueryParam>& params) {
    Relay& relay = conn.relay;
    std::string suffix;
    Entity scratch;
    Entity* e = sender_entity(conn, segs, suffix, false, scratch);
    if (!e) return;
    std::string host = req.header("Host") ? host_of(*req.header("Host")) : std::string();
    auto tokens = tokens_of(req, params);
    if (!e->anonymous_senders) {
        AuthResult a = authorize(relay.config(), tokens, e->path, host, kSend, unix_now(), suffix);
        if (!a.ok()) return refuse(conn, *a.refused);
    }
    NoListener why = NoListener::none;
    Conn* listener = pick_listener(conn, *e, req, why);
    if (!listener && why == NoListener::filtered) return refuse(conn, 404, kFilteredOut);
    if (!listener && why == NoListener::busy) return refuse_busy(conn, e->path, false);
    if (!listener)
        return refuse(conn, 404, fmt::format("EndpointNotFound: no listener is connected to '{}'.", e->path));
    auto* channel = dynamic_cast<ControlChannel*>(listener->handler());
    std::string id = relay.registry().new_id(tracking_prefix(params));
    control::Accept accept;
    std::string suffix_enc = suffix.empty() ? "" : "/" + encode_entity_path(suffix.substr(1));
    accept.address = fmt::format("{}/$hc/{}{}?{}sb-hc-action=accept&sb-hc-id={}", relay.base_url(true),
                                 encode_entity_path(e->path), suffix_enc, app_query(params),
                                 text::encode_component(id));
    accept.id = id;
    for (const auto& [k, v] : req.headers) {
        // Tokens stay with the relay: the listener never sees the sender's credentials.
        if (text::iequals(k, "ServiceBusAuthorization") || text::iequals(k, "Authorization")) continue;
        bool dup = false;
        for (auto& [k2, v2] : accept.connect_headers)
            if (text::iequals(k2, k)) {
                v2 += ", " + v;
                dup = true;
            }
        if (!dup) accept.connect_headers.emplace_back(k, v);
    }
    accept.remote = {conn.peer_address, conn.peer_port};
    relay.registry().add_accept(id, {conn.id, e->path, listener->id});
    ++e->connections;
    conn.label = fmt::format("sender {} #{}", e->path, conn.id);
    std::string offered = req.joined("Sec-WebSocket-Protocol").value_or("");
    conn.set_handler(std::make_unique<PendingSender>(conn, id, e->path, *req.header("Sec-WebSocket-Key"), offered));
    relay.verbose(fmt::format("{}: waiting for {} to accept", conn.label, listener->label));
    channel->send(accept);
}

void route_accept(Conn& conn, const HttpRequest& req, const std::vector<QueryParam>& params, const std::string& id) {
    Relay& relay = conn.relay;
    auto pending = relay.registry().take_accept(id);
    if (!pending)
        return refuse(conn, 403, "Forbidden: the rendezvous address is invalid, expired or already used.");
    Conn* sender = relay.find(pending->sender);
    auto* held = sender ? dynamic_cast<PendingSender*>(sender->handler()) : nullptr;
    if (!held || sender->closing()) return refuse(conn, 404, "EndpointNotFound: the sender has gone away.");
    auto code_text = query_value(params, "sb-hc-statusCode");
    if (!code_text) code_text = query_value(params, "statusCode");  // node listeners drop the prefix
    if (code_text) {
        int code = 0;
        std::string_view t = text::trim(*code_text);
        if (t.size() == 3 && t.find_first_not_of("0123456789") == std::string_view::npos) code = std::stoi(std::string(t));
        bool valid_code = code >= 200 && code <= 599;
        if (code < 200 || code > 599) code = 400;
        auto desc = query_value(params, "sb-hc-statusDescription");
        if (!desc) desc = query_value(params, "statusDescription");
        // node's listeners send whatever they were given: a reject without a
        // status or reason arrives as the text "undefined".
        std::string reason = desc ? std::string(text::trim(*desc)) : std::string();
        if (reason == "undefined" || reason == "null") reason.clear();
        if (reason.empty())
            reason = code == 400 && !valid_code ? "The listener rejected the connection without giving a status."
                                                : fmt::format("{} (rejected by the listener)", default_reason(code));
        refuse(conn, 410, "Gone: the rejection was delivered to the sender.");
        held->reject(code, reason);
        return;
    }
    std::string protocol;
    if (auto p = req.joined("Sec-WebSocket-Protocol")) protocol = std::string(text::trim(text::split(*p, ',')[0]));
    conn.write(upgrade_response(*req.header("Sec-WebSocket-Key"), protocol));
    held->accept(conn, protocol);
}

}  // namespace

const char* const kFilteredOut =
    "EndpointNotFound: None of the connected listeners meet the AllowedListeners/DisallowedListeners criteria.";

std::unique_ptr<Handler> make_head_reader(Conn& conn) { return std::make_unique<HeadReader>(conn); }

std::unique_ptr<Handler> make_overload_answer(Conn& conn) { return std::make_unique<OverloadAnswer>(conn); }

void answer_and_close(Conn& conn, std::string_view response) {
    conn.write(response);
    conn.set_handler(std::make_unique<Discard>());
    conn.finish();
}

void refuse(Conn& conn, int status, const std::string& reason, bool head_only) {
    conn.relay.verbose(fmt::format("{}: refused {} {}", conn.label, status, reason));
    answer_and_close(conn, error_response(status, reason, head_only));
}

void refuse(Conn& conn, const http::Refusal& refusal, bool head_only) {
    refuse(conn, refusal.status, refusal.reason, head_only);
}

bool decode_segments(std::string_view path, std::vector<std::string>& segments) {
    segments.clear();
    for (std::string_view s : text::split(path, '/')) {
        if (s.empty()) continue;
        auto d = text::percent_decode(s);
        if (!d || d->empty() || *d == "." || *d == ".." || d->find('/') != std::string::npos) return false;
        segments.push_back(std::move(*d));
    }
    return true;
}

Entity* sender_entity(Conn& conn, const std::vector<std::string>& segs, std::string& suffix, bool head_only,
                      Entity& scratch) {
    Relay& relay = conn.relay;
    if (segs.empty()) {
        refuse(conn, 404, "EndpointNotFound: the path names no entity.", head_only);
        return nullptr;
    }
    Entity* e = relay.registry().match(segs, suffix);
    if (e) return e;
    std::string joined;
    for (const auto& s : segs) joined += (joined.empty() ? "" : "/") + s;
    if (relay.config().declared_only) {
        refuse(conn, 404, fmt::format("EndpointNotFound: entity '{}' does not exist.", joined), head_only);
        return nullptr;
    }
    auto path = normalize_entity_path(joined);
    if (!path) {
        refuse(conn, 404, "EndpointNotFound: " + path.error().message(), head_only);
        return nullptr;
    }
    scratch = Entity{};
    scratch.path = *path;
    suffix.clear();
    return &scratch;
}

void refuse_busy(Conn& conn, const std::string& entity, bool head_only) {
    conn.relay.verbose(fmt::format("{}: refused 503: the listeners of '{}' do not read their control channels",
                                   conn.label, entity));
    answer_and_close(conn, error_response(503,
                                          fmt::format("ServerBusy: the listeners of '{}' are not reading their "
                                                      "control channels; retry later.",
                                                      entity),
                                          head_only, "Retry-After: 5\r\n"));
}

Conn* pick_listener(Conn& conn, Entity& e, const HttpRequest& req, NoListener& why) {
    auto list = [&](std::string_view name) {
        std::vector<std::string> out;
        if (auto v = req.joined(name))
            for (std::string_view item : text::split(*v, ','))
                if (!text::trim(item).empty()) out.emplace_back(text::trim(item));
        return out;
    };
    auto contains = [](const std::vector<std::string>& l, const std::string& id) {
        for (const std::string& x : l)
            if (text::iequals(x, id)) return true;
        return false;
    };
    std::vector<std::string> allowed = list("Microsoft-Relay-AllowedListeners");
    std::vector<std::string> disallowed = list("Microsoft-Relay-DisallowedListeners");
    std::size_t online = 0, passed = 0;
    std::vector<Conn*> eligible;
    for (const ListenerRef& ref : e.listeners) {
        Conn* c = conn.relay.find(ref.conn);
        auto* channel = c && !c->closing() ? dynamic_cast<ControlChannel*>(c->handler()) : nullptr;
        if (!channel) continue;
        ++online;
        if (!allowed.empty() && !contains(allowed, ref.id)) continue;
        if (contains(disallowed, ref.id)) continue;
        ++passed;
        if (channel->backed_up()) continue;
        eligible.push_back(c);
    }
    why = passed ? NoListener::busy : online ? NoListener::filtered : NoListener::none;
    if (eligible.empty()) return nullptr;
    return eligible[conn.relay.registry().random_below(eligible.size())];
}

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
