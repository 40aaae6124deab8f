// What the WebSocket actions and the HTTP gateway both need to route a
// sender: path segments, tokens, tracking ids, the sender's entity and the
// choice of listener.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

struct Entity;

/// The 404 reason when sender filters exclude every listener (service text).
extern const char* const kFilteredOut;

/// The SAS tokens a request carries: the ServiceBusAuthorization header,
/// then sb-hc-token.
std::vector<std::string> tokens_of(const HttpRequest& req, const std::vector<QueryParam>& params);

/// Letters, digits and '-' from a client-supplied tracking id (sb-hc-id),
/// bounded.
std::string tracking_prefix(const std::vector<QueryParam>& params);

/// The application's own query parameters (no sb-hc-*), each followed by '&'.
std::string app_query(const std::vector<QueryParam>& params);

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

/// Why pick_listener found nobody.
enum class NoListener { none, filtered, busy };

/// A listener to route to, chosen at random among the online ones that pass
/// the sender's Microsoft-Relay-AllowedListeners / -DisallowedListeners
/// filters (lists of listener sb-hc-ids) and whose control channel is not
/// backed up (ListenerChannel::backed_up). nullptr if none; `why` then says
/// whether there was no listener, the filters excluded every online one, or
/// every eligible one is backed up.
Conn* pick_listener(Conn& conn, Entity& entity, const HttpRequest& request, NoListener& why);

}  // namespace hyco::relay
