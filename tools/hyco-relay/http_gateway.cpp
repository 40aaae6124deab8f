// HTTP senders: authorization (sb-hc-token, ServiceBusAuthorization, or
// Authorization when neither is present), the `request` message, and the
// listener's rendezvous socket for large bodies or large responses, kept
// for the sender connection's next request.
#include "tools/hyco-relay/http_gateway.h"

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/auth/relay_uri.h"
#include "tools/hyco-relay/answers.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/listener_channel.h"
#include "tools/hyco-relay/http_exchange.h"
#include "tools/hyco-relay/http_headers.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/response_reader.h"
#include "tools/hyco-relay/routing.h"

namespace hyco::relay {
namespace {

/// The listener's side of a rendezvous socket, serving the exchanges of one
/// sender connection (responses find their exchange by request id).
class HttpRendezvous : public ResponseReader {
public:
    HttpRendezvous(Conn& conn, std::uint64_t sender)
        : ResponseReader(conn, control::kMaxMessageSize), sender_(sender) {}
    const char* kind() const override { return "http-rendezvous"; }

    void on_closed(Conn&) override { listener_ended(); }

private:
    void on_peer_close(std::uint16_t code, const std::string& reason) override {
        ResponseReader::on_peer_close(code, reason);
        listener_ended();
    }

    /// The request in flight fails; an idle sender connection that kept this
    /// rendezvous is closed, as the service drops it.
    void listener_ended() {
        Context& relay = conn_.relay;
        bool kept = relay.registry().drop_rendezvous(sender_, conn_.id);
        Conn* sender = relay.find(sender_);
        if (!sender) return;
        if (auto* x = sender->role<HttpExchange>()) {
            x->on_channel_lost(conn_.id);
        } else if (kept) {
            relay.verbose(fmt::format("{}: the listener closed the kept {}", sender->label, conn_.label));
            sender->finish();
        }
    }

    void on_text(std::string message) override {
        auto parsed = read_message(message);
        if (!parsed) return;
        if (const auto* r = std::get_if<control::Response>(&*parsed)) handle_response(*r);
    }

    std::uint64_t sender_;
};

/// True while the control channel `listener` is online on entity `e`.
bool online_on(Context& relay, const Entity& e, std::uint64_t listener) {
    Conn* c = relay.find(listener);
    if (!c || c->closing() || !c->role<ListenerChannel>()) return false;
    for (const ListenerRef& ref : e.listeners)
        if (ref.conn == listener) return true;
    return false;
}

/// The rendezvous this sender connection kept from its previous request, if
/// this request may use it (same entity, open, its listener still online
/// there, no listener filters: those ask for a fresh choice); one it may not
/// use is closed, and the request goes through a control channel.
Conn* kept_rendezvous(Conn& conn, const Entity& e, const HttpRequest& req, std::uint64_t& listener) {
    auto kept = conn.relay.registry().take_rendezvous(conn.id);
    Conn* rv = kept ? conn.relay.find(kept->rendezvous) : nullptr;
    if (!rv) return nullptr;
    bool filters = req.header("Microsoft-Relay-AllowedListeners") || req.header("Microsoft-Relay-DisallowedListeners");
    // A listener whose control channel closed (restarted, gone offline, or
    // replaced by another) no longer serves the entity, even if the process
    // left its rendezvous socket open.
    bool offline = !online_on(conn.relay, e, kept->listener);
    if (offline)
        conn.relay.verbose(fmt::format("{}: the listener of the kept {} is offline; routing afresh", conn.label,
                                       rv->label));
    if (rv->closing() || kept->entity != e.path || filters || offline) {
        rv->ws_close(ws::close_code::normal, "");
        rv->finish();
        return nullptr;
    }
    listener = kept->listener;
    return rv;
}

}  // namespace

void route_http_rendezvous(Conn& conn, const HttpRequest& req, const std::string& id) {
    Exchange* x = conn.relay.registry().exchange(id);
    if (!x) return refuse(conn, 403, "Forbidden: the rendezvous address is invalid, expired or already used.");
    conn.write(upgrade_response(*req.header("Sec-WebSocket-Key"), ""));
    conn.label = fmt::format("http-rendezvous #{}", conn.id);
    conn.set_handler(std::make_unique<HttpRendezvous>(conn, x->sender()));
    if (!x->on_rendezvous(conn)) {
        conn.ws_close(ws::close_code::policy_violation, "this request already has a rendezvous");
        conn.finish();
    }
}

void route_http(Conn& conn, HttpRequest req) {
    Context& relay = conn.relay;
    bool head = req.method == "HEAD";
    std::vector<std::string> segs;
    if (!decode_segments(req.path(), segs)) return refuse(conn, 400, "BadRequest: malformed path.", head);
    std::string suffix;
    Entity scratch;
    Entity* e = sender_entity(conn, segs, suffix, head, scratch);
    if (!e) return;
    auto params = parse_query(req.query());
    bool strip_authorization = false;
    if (!e->anonymous_senders) {
        std::vector<std::string> tokens;
        if (auto q = query_value(params, "sb-hc-token")) tokens.push_back(*q);
        if (const std::string* h = req.header("ServiceBusAuthorization")) tokens.push_back(*h);
        if (tokens.empty())
            if (const std::string* a = req.header("Authorization")) {
                tokens.push_back(*a);
                strip_authorization = true;
            }
        std::string host = req.header("Host") ? host_of(*req.header("Host")) : std::string();
        AuthResult a = authorize(relay.config(), tokens, e->path, host, kSend, unix_now(), suffix);
        if (!a.ok()) return refuse(conn, *a.refused, head);
    }
    http::BodyDecoder body;
    if (auto refused = body.init(req.headers))
        return refuse(conn, refused->status, "BadRequest: " + refused->reason, head);
    std::uint64_t listener = 0;
    Conn* rendezvous = kept_rendezvous(conn, *e, req, listener);
    if (!rendezvous) {
        NoListener why = NoListener::none;
        Conn* chosen = pick_listener(conn, *e, req, why);
        if (!chosen && why == NoListener::filtered) return refuse(conn, 404, kFilteredOut, head);
        if (!chosen && why == NoListener::busy) return refuse_busy(conn, e->path, head);
        if (!chosen)
            return refuse(conn, 502,
                          fmt::format("BadGateway: the request could not be routed: no listener is connected to '{}'.",
                                      e->path),
                          head);
        listener = chosen->id;
    }
    ++e->connections;
    control::Request msg;
    msg.id = relay.registry().new_id("");
    msg.address = fmt::format("{}/$hc/{}?sb-hc-action=request&sb-hc-id={}", relay.base_url(true),
                              encode_entity_path(e->path), text::encode_component(msg.id));
    msg.request_target = listener_request_target(req.target);
    msg.method = req.method;
    msg.remote = {conn.peer_address, conn.peer_port};
    msg.request_headers = listener_request_headers(req, strip_authorization, relay.config().ns.host);
    conn.label = fmt::format("http {} #{}", e->path, conn.id);
    auto exchange = std::make_unique<HttpExchange>(conn, std::move(req), std::move(msg), e->path, listener,
                                                   rendezvous ? rendezvous->id : 0);
    HttpExchange* x = exchange.get();
    conn.set_handler(std::move(exchange));
    x->start(std::move(body));
}

}  // namespace hyco::relay
