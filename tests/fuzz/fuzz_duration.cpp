// Fuzz target: duration parsing and formatting.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto d = hyco::parse_duration(std::string_view(reinterpret_cast<const char*>(data), size));
    if (d) (void)hyco::format_duration(std::chrono::duration_cast<std::chrono::seconds>(*d));
    return 0;
}
