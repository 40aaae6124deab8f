// The $hc WebSocket actions, each given a request head that passed the
// upgrade checks, its decoded path segments and its query.
#pragma once

#include <string>
#include <vector>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// sb-hc-action=listen: authorizes a listener and makes the connection its
/// control channel.
void route_listen(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                  const std::vector<QueryParam>& params);

/// sb-hc-action=connect (or none): picks a listener, sends it an accept
/// message and holds the sender until the listener answers.
void route_connect(Conn& conn, const HttpRequest& req, const std::vector<std::string>& segs,
                   const std::vector<QueryParam>& params);

/// sb-hc-action=accept at a rendezvous address: joins the listener's socket
/// to the held sender, or delivers the listener's rejection.
void route_accept(Conn& conn, const HttpRequest& req, const std::vector<QueryParam>& params, const std::string& id);

/// A request the relay turns away at --max-connections. A listener's
/// rejection is still delivered (it needs no connection of its own; true:
/// `conn` is answered); for a listener's rendezvous, the sender held for
/// it hears 503 now, and the caller answers `conn` with its 503.
bool turned_away(Conn& conn, const HttpRequest& req);

}  // namespace hyco::relay
