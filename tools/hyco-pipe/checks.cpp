// Checks on the pair of addresses (see checks.h).
#include "tools/hyco-pipe/checks.h"

#include <fmt/format.h>

#include "tools/hyco-pipe/azbridge.h"

namespace hyco::pipe {

Status check_addresses(const Address& first, const Address& second) {
    if (first.listens() && second.listens())
        return make_error(Exit::usage, fmt::format("addresses '{}' and '{}'", first.text, second.text),
                          "at most one address can listen");
    if (first.kind == AddressKind::stdio && second.kind == AddressKind::stdio)
        return make_error(Exit::usage, "addresses", "stdio can be used only once");
    return check_azbridge(first, second);
}

}  // namespace hyco::pipe
