// Routing of request heads: $hc WebSocket actions (listen, connect, accept,
// request), HTTP senders, management GETs, and the status endpoint.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// The handler every new connection starts with: reads one request head,
/// then routes it.
std::unique_ptr<Handler> make_head_reader(Conn& conn);

/// Routes a parsed request head (the head's bytes already removed from in).
void route(Conn& conn, HttpRequest request);

/// Sends a complete final response, then closes (input is discarded).
void answer_and_close(Conn& conn, std::string_view response);

/// Answers with a relay error and closes after sending it.
void refuse(Conn& conn, int status, const std::string& reason, bool head_only = false);

/// Answers a management GET (management.cpp); false when `request` is not
/// one and belongs to the HTTP gateway.
bool route_management(Conn& conn, const HttpRequest& request);

/// HTTP senders at /{entity}[/suffix] (http_gateway.cpp).
void route_http(Conn& conn, HttpRequest request);

/// A listener's HTTP rendezvous at sb-hc-action=request (http_gateway.cpp).
void route_http_rendezvous(Conn& conn, const HttpRequest& request, const std::string& id);

}  // namespace hyco::relay

namespace hyco::relay {

struct Entity;

/// The 404 reason when sender filters exclude every listener (service text).
extern const char* const kFilteredOut;

/// Decoded path segments; false on a malformed %-escape or a bad segment.
bool decode_segments(std::string_view path, std::vector<std::string>& segments);

/// The entity a sender addresses (longest existing prefix, else created on
/// first use); refuses with 404 in declared-only mode. nullptr if refused.
/// Senders never create entities: a path no listener has opened yet is
/// described in `scratch` (no listeners), so that the token is still
/// checked and the answer is "no listener", and a later listener on a
/// shorter path is not shadowed by an entity named after a sender's URL.
Entity* sender_entity(Conn& conn, const std::vector<std::string>& segments, std::string& suffix, bool head_only,
                      Entity& scratch);

/// A listener to route to, chosen at random among the online ones that pass
/// the sender's Microsoft-Relay-AllowedListeners / -DisallowedListeners
/// filters (lists of listener sb-hc-ids). nullptr if none; `filtered` says
/// whether the filters excluded every online listener.
Conn* pick_listener(Conn& conn, Entity& entity, const HttpRequest& request, bool& filtered);

}  // namespace hyco::relay
