// Token selection for clients; minting happens per connection attempt so a
// reconnect never reuses an expired token.
#include "core/auth/credentials.h"

#include "core/auth/sas.h"

namespace hyco {

std::optional<std::string> Credentials::token_for(const Namespace& ns, std::string_view entity,
                                                  std::int64_t now) const {
    if (can_mint()) return sas::mint(audience_uri(ns, entity), key_name, key, now + ttl.count());
    if (!token.empty()) return token;
    return std::nullopt;
}

std::int64_t Credentials::expiry_for(std::int64_t now) const {
    if (can_mint()) return now + ttl.count();
    if (!token.empty())
        if (auto t = sas::parse(token)) return t->expiry;
    return 0;
}

}  // namespace hyco
