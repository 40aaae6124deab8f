// The local address a tool's relay connections are made from (ssh -b,
// socat's bind=, azbridge's BindAddress): on a host with several addresses,
// it picks the interface, and it spreads many connections to one relay
// endpoint over more than one address's ephemeral ports.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>

#include "core/base/error.h"

namespace hyco {

struct SourceAddress {
    sockaddr_storage addr{};  ///< port 0: the kernel picks it at connect()
    socklen_t len = 0;
    int family = AF_UNSPEC;
    std::string text;  ///< as given, for messages
};

/// Parses `192.0.2.7`, `2001:db8::7` or `[2001:db8::7]` (a literal address:
/// no name, no port); Exit::usage naming `option` when it is not one.
Result<SourceAddress> parse_source_address(std::string_view text, const std::string& option);

/// Binds the unconnected socket `fd` (of `family`) to `source`, leaving the
/// port to connect(), which then needs only the whole four-tuple to be
/// unused. The error says why the address cannot be used (another family,
/// not an address of this host).
Status bind_source(int fd, int family, const SourceAddress& source);

}  // namespace hyco
