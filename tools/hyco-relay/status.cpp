// The read-only status report (GET /$relay/status, or SIGUSR1 to stderr):
// entities with their listeners, and every open connection with byte counts.
// It names no secrets: no keys, no tokens, no rendezvous ids.
#include <nlohmann/json.hpp>

#include "core/base/duration.h"
#include "core/base/json_text.h"
#include "tools/hyco-relay/relay.h"

namespace hyco::relay {

std::string Relay::status_json() const {
    using nlohmann::json;
    std::int64_t now = unix_now();
    json entities = json::array();
    for (const auto& entry : registry_.entities()) {
        const Entity& e = entry.second;
        json listeners = json::array();
        for (const ListenerRef& l : e.listeners) {
            json item = {{"id", l.id}, {"connection", l.conn}};
            if (Conn* c = find(l.conn)) {
                item["remote"] = c->peer_address;
                item["connectedSeconds"] = now - c->opened_at;
            }
            listeners.push_back(std::move(item));
        }
        entities.push_back({{"path", e.path},
                            {"declared", e.declared},
                            {"requiresClientAuthorization", !e.anonymous_senders},
                            {"listenerCount", e.listeners.size()},
                            {"connectionsRouted", e.connections},
                            {"listeners", std::move(listeners)}});
    }
    json conns = json::array();
    for (const auto& [id, c] : conns_) {
        conns.push_back({{"id", id},
                         {"kind", c->handler() ? c->handler()->kind() : "none"},
                         {"label", c->label},
                         {"remote", c->peer_address + ":" + std::to_string(c->peer_port)},
                         {"bytesIn", c->bytes_in},
                         {"bytesOut", c->bytes_out},
                         {"queuedBytes", c->queued()},
                         {"openSeconds", now - c->opened_at}});
    }
    json j = {{"endpoint", base_url(true)},
              {"entities", std::move(entities)},
              {"connections", std::move(conns)},
              {"pendingAccepts", registry_.pending_accepts()},
              {"httpExchanges", registry_.exchanges()}};
    return json_text(j);
}

}  // namespace hyco::relay
