// Shared Access Signature tokens (docs/protocol.md §2): minting, strict parsing,
// verification against a key and an entity, and redaction for logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/auth/relay_uri.h"

namespace hyco::sas {

/// Longest token text accepted anywhere; real tokens are a few hundred bytes.
constexpr std::size_t kMaxTokenLength = 4096;
/// Limits the .NET and Java clients enforce on rule names and keys.
constexpr std::size_t kMaxKeyNameLength = 256;
constexpr std::size_t kMaxKeyLength = 256;

/// A parsed token. The raw fields are kept because the signature covers the
/// `sr` and `se` text exactly as written.
struct Token {
    std::string text;          ///< the whole token as given
    std::string resource_raw;  ///< `sr` as written (percent-encoded)
    std::string resource;      ///< `sr` decoded: the audience URI
    std::string signature;     ///< `sig` decoded: base64 of the MAC
    std::string expiry_raw;    ///< `se` as written
    std::int64_t expiry = 0;   ///< seconds since the epoch
    std::string key_name;      ///< `skn` decoded
};

/// Checks a rule name and key the way the service's SDKs do.
Status check_key(std::string_view key_name, std::string_view key);

/// Signs `resource` (an audience URI such as audience_uri()) for `expiry`.
/// The key's UTF-8 text is the HMAC key; it is never base64-decoded.
std::string mint(std::string_view resource, std::string_view key_name, std::string_view key, std::int64_t expiry);

/// Parses a token; the error says precisely what is malformed (Exit::auth).
Result<Token> parse(std::string_view text);

/// True when `key` produced the token's signature over its raw `sr` and `se`.
bool signature_matches(const Token& token, std::string_view key);

/// Which test of a token failed, in the order check() runs them.
enum class Failed { nothing, rule, signature, expired, audience_uri, audience_host, audience_path };

struct Check {
    Failed failed = Failed::nothing;
    std::int64_t expired_ago = 0;  ///< seconds, when failed == expired
    Audience audience;             ///< the token's, once parsed

    explicit operator bool() const { return failed == Failed::nothing; }
};

/// The one token check every verifier uses (hyco-token, hyco-probe,
/// hyco-relay): the rule name when `key_name` is non-empty, the signature,
/// expiry against `now`, then the audience: its host is `target.host` or
/// `other_host` (a relay also answers to the host its client dialled), and
/// its path a whole-segment prefix of the target's. Each caller words the
/// failure for its own audience.
Check check(const Token& token, std::string_view key_name, std::string_view key, std::int64_t now,
            const Audience& target, std::string_view other_host = {});

/// check() as an error for a person: Exit::auth, Exit::token_expired or
/// Exit::wrong_audience, with what failed.
Status verify(const Token& token, std::string_view key_name, std::string_view key, std::int64_t now,
              const Audience& target);

/// The token with its signature replaced, safe for logs and verbose output.
std::string redact(std::string_view token_text);

/// Redacts every `sig=` value and `sb-hc-token=` value inside a URL or log line.
std::string redact_in(std::string_view line);

}  // namespace hyco::sas
