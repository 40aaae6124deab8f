// Progress line formatting (see progress.h).
#include "core/progress.h"

#include <fmt/format.h>

namespace hyco {

std::string format_bytes(std::uint64_t bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    if (u == 0) return fmt::format("{} B", bytes);
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string format_clock(std::chrono::seconds s) {
    long long t = s.count();
    if (t < 0) t = 0;
    if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
    return fmt::format("{}:{:02}", t / 60, t % 60);
}

std::string progress_line(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                          std::optional<std::uint64_t> total) {
    double secs = static_cast<double>(elapsed.count()) / 1000.0;
    auto rate = secs > 0 ? static_cast<std::uint64_t>(static_cast<double>(bytes) / secs) : 0;
    auto clock = format_clock(std::chrono::duration_cast<std::chrono::seconds>(elapsed));
    if (total && *total > 0) {
        std::uint64_t pct = bytes >= *total ? 100 : bytes * 100 / *total;
        std::string eta = "--:--";
        if (rate > 0 && bytes <= *total)
            eta = format_clock(std::chrono::seconds(static_cast<long long>((*total - bytes) / rate)));
        return fmt::format("{} / {} ({}%)  {}/s  {}  ETA {}", format_bytes(bytes), format_bytes(*total), pct,
                           format_bytes(rate), clock, eta);
    }
    return fmt::format("{}  {}/s  {}", format_bytes(bytes), format_bytes(rate), clock);
}

}  // namespace hyco
