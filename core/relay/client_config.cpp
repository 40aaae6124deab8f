// Relay WebSocket targets (see client_config.h).
#include "core/relay/client_config.h"

namespace hyco {

WsTarget relay_ws_target(const RelayTarget& target, Action action, const UriParams& params,
                         const ClientOptions& options, std::int64_t now) {
    Endpoint ep = relay_endpoint(target.ns, target.entity, action, params);
    WsTarget t;
    t.tls = ep.tls;
    t.host = ep.host;
    t.port = ep.port;
    t.path = ep.path;
    if (auto token = target.credentials.token_for(target.ns, target.entity, now))
        t.headers.emplace_back("ServiceBusAuthorization", *token);
    for (const auto& h : options.headers) t.headers.push_back(h);
    return t;
}

}  // namespace hyco
