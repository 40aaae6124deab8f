// Translation between the relay's JSON view of an HTTP exchange and the
// HTTP/1.1 bytes a target server speaks: the request head we write to it
// and the response fields we send back. Pure functions, unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/http/http_fields.h"
#include "core/relay/control_message.h"

namespace hyco::pipe {

/// The request target as the target server should see it: the relay's
/// requestTarget ("/web/a?x=1") without the entity's path ("/a?x=1").
std::string strip_entity(std::string_view request_target, std::string_view entity);

/// How the request body is framed towards the target.
struct BodyFraming {
    std::optional<std::uint64_t> length;  ///< Content-Length
    bool chunked = false;                 ///< Transfer-Encoding: chunked (streamed from a rendezvous)
};

/// The HTTP/1.1 request head for `request` (full form). Hop-by-hop and
/// framing fields are dropped, fields that would break the head are left
/// out, "Connection: close" and X-Forwarded-* are added. Errors: a method
/// or target that cannot be written (Exit::usage; the sender gets 400).
Result<std::string> request_head(const control::Request& request, std::string_view entity, BodyFraming framing);

/// The response fields to relay: hop-by-hop and framing fields dropped (the
/// relay frames the body itself), repeated fields joined with ", ".
control::Headers response_fields(const http::Fields& fields);

/// Wraps one piece of a streamed body as a chunk.
std::string chunk(std::string_view piece);
/// The same, appended to `out`.
void append_chunk(std::string& out, std::string_view piece);

}  // namespace hyco::pipe
