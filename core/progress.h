// A pv/curl-style progress line for long transfers: bytes, rate, elapsed
// time, and total, percentage and ETA when the input size is known.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace hyco {

/// `1.5 MiB`, `512 B`, `3.2 GiB`.
std::string format_bytes(std::uint64_t bytes);
/// `0:07`, `1:02:03`.
std::string format_clock(std::chrono::seconds s);

/// One progress line (no newline), from a snapshot of the counters.
std::string progress_line(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                          std::optional<std::uint64_t> total);

}  // namespace hyco
