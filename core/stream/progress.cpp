// Progress line formatting (see progress.h).
#include "core/stream/progress.h"

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

namespace {
std::uint64_t average(std::uint64_t bytes, std::chrono::milliseconds elapsed) {
    double secs = static_cast<double>(elapsed.count()) / 1000.0;
    return secs > 0 ? static_cast<std::uint64_t>(static_cast<double>(bytes) / secs) : 0;
}
}  // namespace

void RateWindow::sample(std::chrono::milliseconds at, std::uint64_t bytes) {
    samples_.emplace_back(at, bytes);
    while (samples_.size() > 2 && samples_.back().first - samples_[1].first >= span_) samples_.pop_front();
}

std::uint64_t RateWindow::rate() const {
    if (samples_.size() < 2) return 0;
    auto [t0, b0] = samples_.front();
    auto [t1, b1] = samples_.back();
    if (t1 <= t0 || b1 < b0) return 0;
    return average(b1 - b0, t1 - t0);
}

std::string summary_line(std::uint64_t sent, std::uint64_t received, std::chrono::milliseconds elapsed,
                         const std::string& verdict) {
    std::uint64_t moved = sent > received ? sent : received;
    return fmt::format("sent {}, received {} in {} ({}/s): {}", format_bytes(sent), format_bytes(received),
                       format_clock(std::chrono::duration_cast<std::chrono::seconds>(elapsed)),
                       format_bytes(average(moved, elapsed)), verdict);
}

std::string progress_line(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                          std::optional<std::uint64_t> total, std::optional<std::uint64_t> current) {
    auto rate = current ? *current : average(bytes, elapsed);
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
