// Management GETs: an entity's description, as the service's ATOM entry.
#pragma once

#include "tools/hyco-relay/conn.h"
#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// Answers a management GET; false when `request` is not one and belongs
/// to the HTTP gateway.
bool route_management(Conn& conn, const HttpRequest& request);

}  // namespace hyco::relay
