// Hex and text dumps of traffic (see traffic_dump.h).
#include "tools/common/traffic_dump.h"

#include <memory>

#include <fmt/format.h>

#include "tools/common/diag.h"

namespace hyco::cli {

std::string hexdump(std::string_view bytes, std::uint64_t offset) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 16) {
        std::string_view row = bytes.substr(i, 16);
        out += fmt::format("  {:08x} ", offset + i);
        for (std::size_t j = 0; j < 16; ++j) {
            if (j == 8) out += ' ';
            if (j < row.size()) out += fmt::format(" {:02x}", static_cast<unsigned char>(row[j]));
            else out += "   ";
        }
        out += "  |";
        for (char c : row) out += (c >= 0x20 && c < 0x7f) ? c : '.';
        out += "|\n";
    }
    return out;
}

std::string textdump(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        auto u = static_cast<unsigned char>(c);
        if ((u >= 0x20 && u < 0x7f) || c == '\n' || c == '\t') out += c;
        else if (c == '\r') out += "\\r";
        else out += fmt::format("\\x{:02x}", u);
    }
    if (out.empty() || out.back() != '\n') out += '\n';
    return out;
}

void DumpFlags::declare(CLI::App& app) {
    app.add_flag("-X,--hexdump", hex, "Hex dump the traffic of each direction on stderr (like socat -x)")
        ->group("Diagnostics");
    app.add_flag("--textdump", text,
                 "Dump the traffic of each direction on stderr as text, '>' going out and '<' coming in "
                 "(like socat -v)")
        ->group("Diagnostics");
}

std::string DumpFlags::format(std::string_view label, std::string_view bytes, std::uint64_t offset) const {
    std::string out = fmt::format("{} {} byte{}\n", label, bytes.size(), bytes.size() == 1 ? "" : "s");
    if (text) out += textdump(bytes);
    if (hex) out += hexdump(bytes, offset);
    return out;
}

std::function<void(bool, std::string_view)> dump_tap(DumpFlags flags) {
    // Offsets per direction; with --exec several connections share them.
    auto offsets = std::make_shared<std::uint64_t[]>(2);
    return [flags, offsets](bool outgoing, std::string_view bytes) {
        std::uint64_t& off = offsets[outgoing ? 0 : 1];
        diag::partial(flags.format(outgoing ? ">" : "<", bytes, off));
        off += bytes.size();
    };
}

}  // namespace hyco::cli
