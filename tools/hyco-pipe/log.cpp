// Diagnostics formatting (see log.h).
#include "tools/hyco-pipe/log.h"

#include <fmt/format.h>

#include "core/text.h"

namespace hyco::pipe {

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

void Log::line(const std::string& text) const {
    std::string l = "hyco-pipe: " + text::printable(text) + "\n";
    std::fwrite(l.data(), 1, l.size(), out_);
    std::fflush(out_);
}

void Log::info(const std::string& text) const {
    if (verbose_ > 0) line(text);
}

void Log::warn(const std::string& text) const { line(text); }

void Log::event(const std::string& json_line) const {
    if (!json_) return;
    std::string l = json_line + "\n";
    std::fwrite(l.data(), 1, l.size(), out_);
    std::fflush(out_);
}

void Log::traffic(std::uint64_t id, int dir, std::string_view bytes, std::uint64_t offset) const {
    if (!hexdump_) return;
    std::string text = fmt::format("#{} {} {} bytes\n", id, dir == 0 ? '>' : '<', bytes.size());
    text += hexdump(bytes, offset);
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
}

}  // namespace hyco::pipe
