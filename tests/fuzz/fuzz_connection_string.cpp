// Fuzz target: connection-string parsing, and printing what was parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/auth/connection_string.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto cs = hyco::parse_connection_string(std::string_view(reinterpret_cast<const char*>(data), size));
    if (cs) (void)cs->redacted();
    return 0;
}
