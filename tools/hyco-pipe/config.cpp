// Checks on the pair of addresses, before anything is opened.
#include "tools/hyco-pipe/config.h"

#include <fmt/format.h>

#include "tools/hyco-pipe/azbridge.h"

namespace hyco::pipe {

const Address* PipeConfig::listener() const {
    if (first.listens()) return &first;
    if (second.listens()) return &second;
    return nullptr;
}

Status check_addresses(const Address& first, const Address& second) {
    if (first.listens() && second.listens())
        return make_error(Exit::usage, fmt::format("addresses '{}' and '{}'", first.text, second.text),
                          "at most one address can listen");
    if (first.kind == AddressKind::stdio && second.kind == AddressKind::stdio)
        return make_error(Exit::usage, "addresses", "stdio can be used only once");
    return check_azbridge(first, second);
}

}  // namespace hyco::pipe
