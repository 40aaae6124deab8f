// HTTP senders: authorization (sb-hc-token, ServiceBusAuthorization, or
// Authorization when neither is present), the `request` message, and the
// listener's rendezvous socket for large bodies or large responses.
#include <fmt/format.h>

#include "core/duration.h"
#include "core/relay_uri.h"
#include "core/text.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/http_exchange.h"
#include "tools/hyco-relay/http_headers.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/relay.h"
#include "tools/hyco-relay/response_reader.h"
#include "tools/hyco-relay/router.h"

namespace hyco::relay {
namespace {

/// The listener's side of one exchange's rendezvous socket.
class HttpRendezvous : public ResponseReader {
public:
    HttpRendezvous(Conn& conn, std::string id) : ResponseReader(conn, control::kMaxMessageSize), id_(std::move(id)) {}
    const char* kind() const override { return "http-rendezvous"; }

    void on_closed(Conn&) override {
        if (HttpExchange* x = conn_.relay.registry().exchange(id_)) x->on_channel_lost(conn_.id);
    }

private:
    void on_text(std::string message) override {
        end_awaited_body();
        conn_.relay.verbose(fmt::format("{}: <- {}", conn_.label, message.substr(0, 2048)));
        auto parsed = control::parse(message);
        if (!parsed) {
            conn_.relay.log(fmt::format("{}: ignoring a message: {}", conn_.label, parsed.error().message()));
            return;
        }
        if (const auto* r = std::get_if<control::Response>(&*parsed)) handle_response(*r);
    }

    std::string id_;
};

}  // namespace

void route_http_rendezvous(Conn& conn, const HttpRequest& req, const std::string& id) {
    HttpExchange* x = conn.relay.registry().exchange(id);
    if (!x) return refuse(conn, 403, "Forbidden: the rendezvous address is invalid, expired or already used.");
    conn.write(upgrade_response(*req.header("Sec-WebSocket-Key"), ""));
    conn.label = fmt::format("http-rendezvous #{}", conn.id);
    conn.set_handler(std::make_unique<HttpRendezvous>(conn, id));
    if (!x->on_rendezvous(conn)) {
        conn.ws_close(ws::close_code::policy_violation, "this request already has a rendezvous");
        conn.finish();
    }
}

void route_http(Conn& conn, HttpRequest req) {
    Relay& relay = conn.relay;
    bool head = req.method == "HEAD";
    std::vector<std::string> segs;
    if (!decode_segments(req.path(), segs)) return refuse(conn, 400, "BadRequest: malformed path.", head);
    std::string suffix;
    Entity* e = sender_entity(conn, segs, suffix, head);
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
        AuthResult a = authorize(relay.config(), tokens, e->path, host, kSend, unix_now());
        if (!a.ok()) return refuse(conn, a.status, a.reason, head);
    }
    http::BodyDecoder body;
    int status = 0;
    if (std::string why = body.init(req.headers, status); !why.empty()) return refuse(conn, status, "BadRequest: " + why, head);
    bool filtered = false;
    Conn* listener = pick_listener(conn, *e, req, filtered);
    if (filtered) return refuse(conn, 404, kFilteredOut, head);
    if (!listener)
        return refuse(conn, 502,
                      fmt::format("BadGateway: the request could not be routed: no listener is connected to '{}'.",
                                  e->path),
                      head);
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
    auto exchange = std::make_unique<HttpExchange>(conn, std::move(req), std::move(msg), listener->id);
    HttpExchange* x = exchange.get();
    conn.set_handler(std::move(exchange));
    x->start(std::move(body));
}

}  // namespace hyco::relay
