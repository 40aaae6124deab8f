// A pv/curl-style progress line for long transfers: bytes, rate, elapsed
// time, and total, percentage and ETA when the input size is known.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>
#include <optional>
#include <string>

namespace hyco {

/// `1.5 MiB`, `512 B`, `3.2 GiB`.
std::string format_bytes(std::uint64_t bytes);
/// `0:07`, `1:02:03`.
std::string format_clock(std::chrono::seconds s);

/// One progress line (no newline), from a snapshot of the counters. `rate`
/// (bytes/s) is the current rate; without it, the average since the start.
std::string progress_line(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                          std::optional<std::uint64_t> total, std::optional<std::uint64_t> rate = std::nullopt);

/// The rate over the last few seconds, so that a stalled transfer shows a
/// falling rate at once instead of a slowly sinking average.
class RateWindow {
public:
    explicit RateWindow(std::chrono::milliseconds span = std::chrono::milliseconds(5000)) : span_(span) {}
    /// Records the byte count at time `at` (since the start).
    void sample(std::chrono::milliseconds at, std::uint64_t bytes);
    /// Bytes per second over the window (0 before two samples).
    std::uint64_t rate() const;

private:
    std::chrono::milliseconds span_;
    std::deque<std::pair<std::chrono::milliseconds, std::uint64_t>> samples_;
};

/// The last line of a transfer: what moved, how long it took, and whether
/// the stream arrived whole, e.g. "sent 32.0 MiB, received 0 B in 0:02
/// (16.0 MiB/s): complete".
std::string summary_line(std::uint64_t sent, std::uint64_t received, std::chrono::milliseconds elapsed,
                         const std::string& verdict);

}  // namespace hyco
