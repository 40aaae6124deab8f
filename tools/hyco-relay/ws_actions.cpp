// The $hc WebSocket actions: a listener's control channel (listen), a
// sender's connect, and a listener's accept or reject at the rendezvous.
#include "tools/hyco-relay/ws_actions.h"

#include <fmt/format.h>

#include "core/auth/crypto.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/http/http_fields.h"
#include "core/auth/relay_uri.h"
#include "tools/hyco-relay/answers.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/listener_channel.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/routing.h"
#include "tools/hyco-relay/ws_bridge.h"

namespace hyco::relay {

void route_listen(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                  const std::vector<QueryParam>& params) {
    Context& relay = conn.relay;
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
    conn.set_handler(std::make_unique<ListenerChannel>(conn, e->path, listener_id, host, a.token->expiry));
}

void route_connect(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                   const std::vector<QueryParam>& params) {
    Context& relay = conn.relay;
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
    auto* channel = listener->role<ListenerChannel>();
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
        http::merge(accept.connect_headers, k, v);
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
    Context& relay = conn.relay;
    auto pending = relay.registry().take_accept(id);
    if (!pending)
        return refuse(conn, 403, "Forbidden: the rendezvous address is invalid, expired or already used.");
    Conn* sender = relay.find(pending->sender);
    auto* held = sender ? sender->role<PendingSender>() : nullptr;
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

bool turned_away(Conn& conn, const HttpRequest& req) {
    auto params = parse_query(req.query());
    if (query_value(params, "sb-hc-action") != "accept") return false;
    auto id = query_value(params, "sb-hc-id");
    if (!id) return false;
    if (query_value(params, "sb-hc-statusCode") || query_value(params, "statusCode")) {
        route_accept(conn, req, params, *id);
        return true;
    }
    // The id is the capability, as in route_accept: the address is unguessable.
    Context& relay = conn.relay;
    auto pending = relay.registry().take_accept(*id);
    if (!pending) return false;
    Conn* sender = relay.find(pending->sender);
    auto* held = sender ? sender->role<PendingSender>() : nullptr;
    if (held && !sender->closing()) held->rendezvous_turned_away(relay.config().max_connections);
    return false;
}

}  // namespace hyco::relay
