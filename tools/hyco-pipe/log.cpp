// Diagnostics formatting (see log.h).
#include "tools/hyco-pipe/log.h"

#include <fmt/format.h>

#include "tools/common/diag.h"

namespace hyco::pipe {

void Log::line(const std::string& text) const { cli::diag::note(prefix_ + text); }

void Log::info(const std::string& text) const {
    if (verbose_ > 0) line(text);
}

void Log::warn(const std::string& text) const { line(text); }

void Log::event(const std::string& json_line) const {
    if (!json_) return;
    cli::diag::raw_line(json_line);
}

void Log::traffic(std::uint64_t id, int dir, std::string_view bytes, std::uint64_t offset) const {
    if (!dump_.any()) return;
    cli::diag::partial(dump_.format(fmt::format("#{} {}", id, dir == 0 ? '>' : '<'), bytes, offset));
}

}  // namespace hyco::pipe
