// Routing of request heads: $hc WebSocket actions (listen, connect, accept,
// request), HTTP senders, management GETs, and the status endpoint.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// How long a client has to send a whole request head (then 408, or a
/// silent close when it sent nothing: an idle keep-alive connection).
inline constexpr std::chrono::milliseconds kHeadTimeout{30000};

/// The handler every new connection starts with: reads one request head,
/// then routes it.
std::unique_ptr<Handler> make_head_reader(Conn& conn);

/// The handler of a connection accepted beyond --max-connections: answers
/// its first request 503 with Retry-After (after the TLS handshake, if any),
/// or drops it if nothing arrives within Conn::kLinger.
std::unique_ptr<Handler> make_overload_answer(Conn& conn);

/// Routes a parsed request head (the head's bytes already removed from in).
void route(Conn& conn, HttpRequest request);

/// Sends a complete final response, then closes (input is discarded).
void answer_and_close(Conn& conn, std::string_view response);

/// Answers with a relay error and closes after sending it.
void refuse(Conn& conn, int status, const std::string& reason, bool head_only = false);
void refuse(Conn& conn, const http::Refusal& refusal, bool head_only = false);

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

/// Why pick_listener found nobody.
enum class NoListener { none, filtered, busy };

/// A listener to route to, chosen at random among the online ones that pass
/// the sender's Microsoft-Relay-AllowedListeners / -DisallowedListeners
/// filters (lists of listener sb-hc-ids) and whose control channel is not
/// backed up (ControlChannel::backed_up). nullptr if none; `why` then says
/// whether there was no listener, the filters excluded every online one, or
/// every eligible one is backed up.
Conn* pick_listener(Conn& conn, Entity& entity, const HttpRequest& request, NoListener& why);

/// The answer when every eligible listener's control channel is backed up.
void refuse_busy(Conn& conn, const std::string& entity, bool head_only);

}  // namespace hyco::relay
