// Diagnostics formatting (see log.h).
#include "tools/hyco-pipe/log.h"

#include <fmt/format.h>

#include "core/text.h"

namespace hyco::pipe {

void Log::line(const std::string& text) const {
    std::string l = "hyco-pipe: " + prefix_ + text::printable(text) + "\n";
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
    if (!dump_.any()) return;
    std::string text = dump_.format(fmt::format("#{} {}", id, dir == 0 ? '>' : '<'), bytes, offset);
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
}

}  // namespace hyco::pipe
