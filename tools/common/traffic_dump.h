// Traffic dumps on stderr, shared by the data tools: -X (hex, like socat -x)
// and --textdump (the text as it is, like socat -v).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace hyco::cli {

/// Formats `bytes` as hex dump lines: offset, 16 bytes in hex, then the
/// printable characters (`.` for others). `offset` numbers the first byte.
std::string hexdump(std::string_view bytes, std::uint64_t offset);

/// `bytes` as text: printable ASCII, tab and newline as they are, \r and
/// other bytes escaped (\r, \xNN); always ends with a newline.
std::string textdump(std::string_view bytes);

/// What to dump; `label` heads each chunk ("#3 >", ">" or "<").
struct DumpFlags {
    bool hex = false;
    bool text = false;
    bool any() const { return hex || text; }
    /// Declares -X/--hexdump and --textdump on `app`.
    void declare(CLI::App& app);
    /// One chunk as written to stderr: "LABEL N bytes" and the dump(s).
    std::string format(std::string_view label, std::string_view bytes, std::uint64_t offset) const;
};

/// A tap for a copier session (SenderConfig::tap) that writes the dumps to
/// stderr: '>' what goes out to the relay, '<' what comes back.
std::function<void(bool outgoing, std::string_view bytes)> dump_tap(DumpFlags flags);

}  // namespace hyco::cli
