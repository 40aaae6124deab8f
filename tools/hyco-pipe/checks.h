// Checks on the pair of addresses, before anything is opened.
#pragma once

#include "core/base/error.h"
#include "tools/hyco-pipe/address.h"

namespace hyco::pipe {

/// Checks combinations that cannot work (two listeners, stdio twice, the
/// azbridge options of the pair). Errors are Exit::usage.
Status check_addresses(const Address& first, const Address& second);

}  // namespace hyco::pipe
