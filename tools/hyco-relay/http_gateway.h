// The HTTP gateway: senders' plain HTTP requests relayed to a listener as
// `request` messages, answered over its control channel or a rendezvous.
#pragma once

#include <string>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// HTTP senders at /{entity}[/suffix].
void route_http(Conn& conn, HttpRequest request);

/// A listener's HTTP rendezvous at sb-hc-action=request.
void route_http_rendezvous(Conn& conn, const HttpRequest& request, const std::string& id);

}  // namespace hyco::relay
