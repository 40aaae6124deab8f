// Shared by the fuzz targets that check properties, not only survival: a
// broken property must stop the run (libFuzzer then keeps the input), and
// say which one broke, since the input alone rarely tells.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

inline void require(bool holds, const char* property) {
    if (holds) return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", property);
    std::abort();
}

/// Cuts the next `sep`-terminated field off the front of `in` (all of it
/// when no `sep` is left): fuzz inputs carry several fields this way.
inline std::string_view take_field(std::string_view& in, char sep = '\n') {
    auto end = in.find(sep);
    std::string_view field = in.substr(0, end);
    in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
    return field;
}
