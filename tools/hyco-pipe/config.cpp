// Checks on the pair of addresses, before anything is opened.
#include "tools/hyco-pipe/config.h"

#include <fmt/format.h>


namespace hyco::pipe {

const Address* PipeConfig::listener() const {
    if (first.listens()) return &first;
    if (second.listens()) return &second;
    return nullptr;
}

}  // namespace hyco::pipe
