// Azure Relay connection strings (docs/protocol.md §2.6), plus the
// UseDevelopmentEmulator convention for plain ws:// endpoints.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/auth/relay_uri.h"

namespace hyco {

struct ConnectionString {
    Namespace endpoint;
    std::string entity_path;                       ///< empty when absent
    std::string key_name;                          ///< with `key`, or both empty
    std::string key;
    std::string signature;                         ///< a complete pre-issued token, or empty
    bool emulator = false;                         ///< UseDevelopmentEmulator=true
    std::optional<std::chrono::seconds> operation_timeout;

    /// The string again, with the key and signature masked.
    std::string redacted() const;
    /// The string again, secrets included (for hyco-relay's banner).
    std::string to_string() const;
};

/// Parses `Key=Value;...`: keys case-insensitive, values split at the first
/// `=`, empty segments ignored; unknown, repeated or contradictory keys are
/// errors naming the key (Exit::usage).
Result<ConnectionString> parse_connection_string(std::string_view text);

}  // namespace hyco
