// What a client presents to the relay: a rule name and key to mint tokens
// from (preferred: fresh tokens on every connect), or a pre-issued token.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/auth/relay_uri.h"

namespace hyco {

struct Credentials {
    std::string key_name;
    std::string key;
    std::string token;                         ///< pre-issued token, used as is
    std::chrono::seconds ttl{3600};            ///< lifetime of minted tokens

    bool can_mint() const { return !key.empty(); }
    bool empty() const { return key.empty() && token.empty(); }
    /// A token for `entity`: freshly minted, or the pre-issued one.
    /// nullopt when there are no credentials (anonymous senders).
    std::optional<std::string> token_for(const Namespace& ns, std::string_view entity, std::int64_t now) const;
    /// Expiry of the token token_for() would return (0 if none / unknown).
    std::int64_t expiry_for(std::int64_t now) const;
};

/// A relay entity and how to authenticate to it.
struct RelayTarget {
    Namespace ns;
    std::string entity;
    Credentials credentials;
};

}  // namespace hyco
