// What a listener knows about a sender from the relay's `accept` message,
// and the decisions made from it: metadata for hooks and children, the
// subprotocol to answer with, and the rendezvous URL that rejects.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/io/child_process.h"
#include "core/relay/control_message.h"

namespace hyco {

struct ConnectionInfo {
    std::string id;
    std::string remote_address;
    int remote_port = 0;
    std::string path_suffix;  ///< below the entity, decoded, no leading '/'
    std::string query;        ///< the sender's query without sb-hc-* parameters
    control::Headers headers;
    std::vector<std::string> offered_subprotocols;
};

ConnectionInfo connection_info(const control::Accept& accept, std::string_view entity);

/// HYCO_ID, HYCO_REMOTE_ADDR, HYCO_REMOTE_PORT, HYCO_ENTITY, HYCO_PATH,
/// HYCO_QUERY, HYCO_SUBPROTOCOL, HYCO_HEADER_<NAME> for each header.
EnvVars connection_env(const ConnectionInfo& info, std::string_view entity, std::string_view subprotocol);

/// The subprotocol to accept with: with no `supported` list, the sender's
/// first offer (as .NET and Node listeners do); otherwise the first offer
/// we support. "" = none offered; nullopt = no common one.
std::optional<std::string> choose_subprotocol(const std::vector<std::string>& offered,
                                              const std::vector<std::string>& supported);

/// The rendezvous address extended with sb-hc-statusCode/-Description.
std::string reject_url(std::string_view address, int status, std::string_view description);

/// A rejection: HTTP status and description.
struct Verdict {
    int status = 403;
    std::string description = "Rejected by the listener";
};

/// Parses "STATUS [DESCRIPTION]" (e.g. the first line an accept hook
/// prints, or --reject's value); nullopt when it does not start with a
/// status from 400 to 599.
std::optional<Verdict> parse_verdict(std::string_view text);

}  // namespace hyco
