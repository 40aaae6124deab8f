// Shared by the HTTP fuzz targets: feeds what follows a head to a body
// decoder the way a connection would, then ends the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/http/http_body.h"

inline void drain_body(hyco::http::BodyDecoder& body, std::string_view rest) {
    std::string out;
    while (!rest.empty() && !body.done()) {
        std::int64_t used = body.feed(rest, out);
        if (used <= 0) break;
        rest.remove_prefix(static_cast<std::size_t>(used));
        if (out.size() > (1u << 20)) out.clear();  // bounded, like a consumer
    }
    (void)body.end_of_input();
}
