// JSON text that cannot throw: strings that are not valid UTF-8 (a remote
// sender's path, a target's Latin-1 header, a token's decoded field) are
// written with U+FFFD in place of the bad bytes instead of aborting the
// caller, which is often an lws callback.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hyco {

/// For nlohmann::json and nlohmann::ordered_json alike (a conversion would
/// lose the ordered one's field order).
template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// One JSON line for a terminal (--json events on stderr): every character
/// past ASCII, DEL included, as \uXXXX, so no control character of any kind
/// (C1 included, which plain JSON leaves raw) reaches the terminal.
template <typename Json>
std::string json_line(const Json& j) {
    return j.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace hyco
