// A small absolute-URI parser (scheme://host[:port]/path?query) for relay
// addresses, token audiences and connection-string endpoints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace hyco {

struct Uri {
    std::string scheme;              ///< lower-cased
    std::string host;                ///< lower-cased; IPv6 without brackets
    std::optional<std::uint16_t> port;
    std::string path;                ///< raw (still percent-encoded), starts with '/' or is empty
    std::string query;               ///< raw, without the '?'

    /// host or [v6host], plus :port when one was given.
    std::string authority() const;
};

/// Parses an absolute URI; the fragment is dropped. Errors name the problem.
Result<Uri> parse_uri(std::string_view text);

/// A host as written in a URI: IPv6 addresses in brackets.
std::string uri_host(std::string_view host);

/// Default port of a scheme we know (ws/http 80, wss/https/sb 443), else 0.
std::uint16_t default_port(std::string_view scheme);

/// `host[:port]` or `[v6]:port` split; the port is still text (may be empty).
struct HostPort {
    std::string_view host;  ///< IPv6 without brackets
    std::string_view port;
};
/// Splits an authority without user info. Errors (Exit::usage) say what is wrong.
Result<HostPort> split_host_port(std::string_view authority);

/// Parses a decimal port 1..65535.
std::optional<std::uint16_t> parse_port(std::string_view s);

}  // namespace hyco
