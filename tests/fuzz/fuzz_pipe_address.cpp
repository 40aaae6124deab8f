// Fuzz target: hyco-pipe's address syntax (tcp:, tcp-listen:, unix:,
// exec:, relay-listen:, relay-connect: ...).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/hyco-pipe/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto a = hyco::pipe::parse_address(in);
    if (a) (void)a->listens();
    return 0;
}
