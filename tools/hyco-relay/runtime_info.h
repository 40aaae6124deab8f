// The management view of a Hybrid Connection (docs/protocol.md §9 item 11): the
// Atom entry that .NET's GetRuntimeInformationAsync reads, its XML error
// body, and the rule that tells such a GET from an HTTP sender's request.
// Pure text in, text out, so it is unit-tested directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tools/hyco-relay/http_request.h"

namespace hyco::relay {

/// What the relay reports about one entity.
struct RuntimeInfo {
    std::string path;
    std::int64_t created_at = 0;  ///< seconds since the epoch
    std::int64_t updated_at = 0;
    bool requires_client_authorization = true;
    std::size_t listener_count = 0;
};

/// The content type of a single Atom entry (a feed would mean "no such
/// entity" to .NET).
inline constexpr std::string_view kAtomEntryType = "application/atom+xml;type=entry;charset=utf-8";

/// A GET carrying an `api-version` query parameter. Whether it is answered
/// by the relay also depends on the path (see route_management).
bool is_management_get(const HttpRequest& request);

/// The Atom entry for `info`; `self` is the URL the client asked for.
std::string runtime_info_entry(const RuntimeInfo& info, std::string_view self);

/// The service's management error body: <Error><Code>..</Code><Detail>..</Detail></Error>.
std::string management_error_body(int status, std::string_view detail);

/// Text with &, <, >, " and ' escaped, and control characters other than
/// tab/CR/LF (not allowed in XML 1.0) replaced by '?'.
std::string xml_escape(std::string_view text);

}  // namespace hyco::relay
