// What the address families (address_*.cpp) share: the argument parsers
// that more than one family uses. Only address*.cpp include this.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "tools/hyco-pipe/address.h"

namespace hyco::pipe::family {

/// A usage error naming the address: `address 'tcp:x': why`.
Error bad(std::string_view text, std::string why);

/// `HOST:PORT` or `[V6]:PORT`; with `host_optional`, a bare `PORT` (and port 0).
Status parse_host_port(std::string_view text, std::string_view arg, bool host_optional, Address& a);

/// One `,WORD` after an address's argument: `key` is lower case, `value`
/// what follows its '=' (`has_value` tells `k` from `k=`).
struct Option {
    std::string_view word;
    std::string key;
    std::string_view value;
    bool has_value = false;
};

/// Cuts the `,OPTION`s off `arg` and hands each to `take`.
Status take_options(std::string_view& arg, const std::function<Status(const Option&)>& take);

/// `st`, its reason followed by `(expected SYNTAX)` unless it already says
/// what is expected: for host and port mistakes, where the form helps most.
Status with_syntax(const AddressType& type, Status st);

}  // namespace hyco::pipe::family
