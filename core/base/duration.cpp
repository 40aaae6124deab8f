// Duration parsing and formatting for command-line options and token expiry.
#include "core/base/duration.h"

#include <ctime>

#include <fmt/format.h>

#include "core/base/text.h"

namespace hyco {

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto fail = [&](std::string why) {
        return make_error(Exit::usage, "invalid duration " + text::quote(text), std::move(why));
    };
    std::string_view s = text::trim(text);
    if (s.empty()) return fail("it is empty");
    constexpr std::int64_t kMaxMs = 100LL * 365 * 24 * 3600 * 1000;
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] < '0' || s[i] > '9') return fail("expected a number, e.g. 90s, 30m, 1h, 7d");
        std::int64_t n = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            n = n * 10 + (s[i] - '0');
            if (n > kMaxMs) return fail("it is longer than 100 years");
            ++i;
        }
        std::int64_t unit = 1000;
        if (i < s.size()) {
            if (s.substr(i, 2) == "ms") {
                unit = 1;
                i += 2;
            } else {
                switch (s[i]) {
                    case 's': unit = 1000; break;
                    case 'm': unit = 60'000; break;
                    case 'h': unit = 3'600'000; break;
                    case 'd': unit = 86'400'000; break;
                    default: return fail(fmt::format("unknown unit '{}' (use ms, s, m, h or d)", s[i]));
                }
                ++i;
            }
        } else if (total != 0) {
            return fail("a unit is missing after the last number");
        }
        if (n > (kMaxMs - total) / unit) return fail("it is longer than 100 years");
        total += n * unit;
    }
    if (total == 0) return fail("it must be longer than zero");
    return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::seconds d) {
    std::int64_t s = d.count();
    std::string sign = s < 0 ? "-" : "";
    if (s < 0) s = -s;
    struct Unit { std::int64_t size; char name; };
    constexpr Unit units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    std::string out;
    int shown = 0;
    for (const Unit& u : units) {
        if (shown == 2) break;
        std::int64_t n = s / u.size;
        if (n == 0 && (shown == 0 ? u.size != 1 : true)) {
            if (shown) ++shown;  // keep units adjacent: "1d 0h" is not shown as "1d 5s"
            continue;
        }
        s -= n * u.size;
        if (!out.empty()) out += ' ';
        out += fmt::format("{}{}", n, u.name);
        ++shown;
    }
    return sign + out;
}

std::string format_utc(std::int64_t epoch_seconds) {
    std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    if (!gmtime_r(&t, &tm)) return std::to_string(epoch_seconds);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace hyco
