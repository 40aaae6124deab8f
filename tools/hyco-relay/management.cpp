// Management GET (docs/protocol.md §9 item 11): GET /{entity}?api-version=... with
// a SAS token in Authorization answers the entity's runtime information as
// an Atom entry, the way .NET's GetRuntimeInformationAsync expects it.
// The rule that separates it from an HTTP sender is in README.md.
#include "tools/hyco-relay/management.h"

#include <fmt/format.h>

#include "core/auth/crypto.h"
#include "core/base/duration.h"
#include "core/auth/relay_uri.h"
#include "tools/hyco-relay/answers.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/routing.h"
#include "tools/hyco-relay/runtime_info.h"

namespace hyco::relay {
namespace {

/// .NET reads the <Detail> of an XML error body, not the JSON the gateway
/// sends to HTTP senders; the reason phrase carries the same text.
void management_refuse(Conn& conn, int status, const std::string& reason) {
    conn.relay.verbose(fmt::format("{}: management GET refused {} {}", conn.label, status, reason));
    std::string message = fmt::format("{} TrackingId:{}", clean_reason(status, reason), crypto::uuid4());
    std::string body = management_error_body(status, message);
    answer_and_close(conn, fmt::format("HTTP/1.1 {} {}\r\nContent-Type: application/xml; charset=utf-8\r\n"
                                       "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
                                       status, message, body.size(), body));
}

std::vector<std::string> management_tokens(const HttpRequest& req) {
    std::vector<std::string> out;
    if (const std::string* h = req.header("Authorization")) out.push_back(*h);
    if (const std::string* h = req.header("ServiceBusAuthorization")) out.push_back(*h);
    if (auto q = query_value(parse_query(req.query()), "sb-hc-token")) out.push_back(*q);
    return out;
}

}  // namespace

bool route_management(Conn& conn, const HttpRequest& req) {
    if (!is_management_get(req)) return false;
    Context& relay = conn.relay;
    std::vector<std::string> segs;
    if (!decode_segments(req.path(), segs) || segs.empty()) return false;  // the gateway refuses these
    std::string suffix;
    Entity* e = relay.registry().match(segs, suffix);
    if (e && !suffix.empty()) return false;  // below an entity: an application request for its listener
    std::string joined;
    for (const auto& s : segs) joined += (joined.empty() ? "" : "/") + s;
    conn.label = fmt::format("management {} #{}", joined, conn.id);
    auto path = normalize_entity_path(joined);
    if (!path) {
        management_refuse(conn, 404, "EndpointNotFound: " + path.error().message());
        return true;
    }
    auto tokens = management_tokens(req);
    if (tokens.empty()) {
        management_refuse(conn, 401, "MissingToken: no SAS token in the Authorization header");
        return true;
    }
    std::string host = req.header("Host") ? host_of(*req.header("Host")) : std::string();
    AuthResult a = authorize(relay.config(), tokens, *path, host, kAnyRight, unix_now());
    if (!a.ok()) {
        management_refuse(conn, a.refused->status, a.refused->reason);
        return true;
    }
    // Entities are created by listeners and senders, never by looking at them.
    if (!e) {
        management_refuse(conn, 404, fmt::format("EndpointNotFound: entity '{}' does not exist.", *path));
        return true;
    }
    RuntimeInfo info;
    info.path = e->path;
    info.created_at = e->created_at;
    info.updated_at = e->created_at;  // nothing in the relay changes a description after creation
    info.requires_client_authorization = !e->anonymous_senders;
    info.listener_count = e->listeners.size();
    std::string body = runtime_info_entry(info, relay.base_url(false) + req.target);
    relay.verbose(fmt::format("{}: 200, {} listener(s)", conn.label, info.listener_count));
    answer_and_close(conn, fmt::format("HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n"
                                       "Connection: close\r\n\r\n{}",
                                       kAtomEntryType, body.size(), body));
    return true;
}

}  // namespace hyco::relay
