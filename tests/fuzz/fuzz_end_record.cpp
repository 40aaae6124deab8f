// Fuzz target: end records from the peer (core/stream/stream_end.h) and the
// text-mode input check (core/stream/framing.h): both read bytes from outside.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/stream/framing.h"
#include "core/stream/stream_end.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    if (auto r = hyco::eos::decode(in)) {
        // What decodes must encode to something that decodes the same.
        auto again = hyco::eos::decode(hyco::eos::encode(*r));
        if (!again || again->bytes != r->bytes || again->kind != r->kind) std::abort();
    }
    hyco::TextCheck check(hyco::Framing::text);
    if (!check.feed(in.substr(0, size / 2)) && !check.feed(in.substr(size / 2))) (void)check.finish();
    return 0;
}
