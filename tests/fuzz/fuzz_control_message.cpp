// Fuzz target: control-channel JSON; whatever parses must serialize and parse again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/relay/control_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto m = hyco::control::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (m) {
        auto again = hyco::control::parse(hyco::control::serialize(*m));
        if (!again || again->index() != m->index()) std::abort();
    }
    return 0;
}
