// Fuzz target: the message splitter (core/stream/framing.h), which cuts what
// a user pipes in into WebSocket messages. Beyond surviving any input, it
// must lose, add and reorder nothing: the messages put back together are the
// input (with the last line's separator, which finish() supplies), every
// fragment fits the fragment size, fragments chain first..final, and how
// the input was cut into reads changes no line or NUL-ended record.
// Input: byte 0 picks the framing and exact mode, byte 1 the fragment size
// (1..64), byte 2 the read size; the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/stream/framing.h"
#include "tests/fuzz/invariant.h"

using hyco::Fragment;
using hyco::Framing;
using hyco::MessageSplitter;

namespace {

std::vector<Fragment> split(Framing framing, bool exact, std::size_t max, std::string_view in, std::size_t read) {
    MessageSplitter s(framing, max);
    s.set_exact(exact);
    std::vector<Fragment> out;
    while (!in.empty()) {
        std::size_t n = in.size() < read ? in.size() : read;
        s.feed(in.substr(0, n), out);
        in.remove_prefix(n);
    }
    s.finish(out);
    return out;
}

/// Whole messages: the fragments of each joined, checking how they chain.
std::vector<std::string> messages(const std::vector<Fragment>& fragments, bool binary, std::size_t limit) {
    std::vector<std::string> out;
    bool open = false;
    for (const Fragment& f : fragments) {
        require(f.binary == binary, "a fragment's type follows the framing");
        require(f.data.size() <= limit, "a fragment fits the fragment size");
        require(f.first == !open, "a message starts with its first fragment, and only once");
        if (f.first) out.emplace_back();
        out.back() += f.data;
        open = !f.final;
    }
    require(!open, "the last message is finished");
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const Framing framings[] = {Framing::text, Framing::binary, Framing::nul};
    Framing framing = framings[data[0] % 3];
    bool exact = (data[0] & 4) != 0 && framing != Framing::binary;
    std::size_t max = data[1] % 64 + 1;
    std::size_t read = data[2] % 97 + 1;
    std::string_view in(reinterpret_cast<const char*>(data) + 3, size - 3);

    bool binary = framing == Framing::binary || exact;
    // exact mode keeps the separator on the message's last fragment.
    std::vector<std::string> got = messages(split(framing, exact, max, in, read), binary, max + (exact ? 1 : 0));
    if (framing != Framing::binary) {
        // Binary framing makes each read a message; lines and NUL-ended
        // records do not depend on how they were read.
        std::vector<std::string> whole = messages(split(framing, exact, max, in, in.size() + 1), binary, max + (exact ? 1 : 0));
        require(got == whole, "how the input is cut into reads changes no line or record");
    }

    std::string joined;
    if (framing == Framing::binary || exact) {
        for (const std::string& m : got) joined += m;
        require(joined == in, "binary and exact messages put together are the input");
        if (exact) {
            // Each line or record is its own message, its separator last.
            char sep = framing == Framing::text ? '\n' : '\0';
            for (std::size_t i = 0; i < got.size(); ++i) {
                std::size_t at = got[i].find(sep);
                bool last = i + 1 == got.size();
                require(at == std::string::npos ? last : at + 1 == got[i].size(),
                        "an exact message ends at its separator, and only the last may lack one");
            }
        }
    } else {
        char sep = framing == Framing::text ? '\n' : '\0';
        for (const std::string& m : got) {
            require(m.find(sep) == std::string::npos, "a message holds no separator");
            joined += m;
            joined += sep;
        }
        std::string want(in);
        if (!want.empty() && want.back() != sep) want += sep;
        require(joined == want, "messages with their separators put together are the input");
    }
    return 0;
}
