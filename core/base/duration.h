// Human durations (`90s`, `30m`, `1h30m`, `7d`) and UTC timestamps.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/error.h"

namespace hyco {

/// Parses a duration: whole numbers with units s, m, h, d (combinable, as in
/// `1h30m`), or milliseconds with `ms`; a bare number means seconds.
/// Zero and anything over 100 years is refused.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

/// `1h 2m 3s`, `45s`, `3d 4h` (two largest units).
std::string format_duration(std::chrono::seconds d);

/// `2026-11-25T23:35:48Z`.
std::string format_utc(std::int64_t epoch_seconds);

/// Seconds since the epoch, from the system clock.
std::int64_t unix_now();

}  // namespace hyco
