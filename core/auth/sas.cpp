// SAS token logic. The signature is checked over the raw `sr` text, never a
// re-encoded form, because clients disagree on percent-encoding case.
#include "core/auth/sas.h"

#include <fmt/format.h>

#include "core/auth/crypto.h"
#include "core/base/text.h"

namespace hyco::sas {
namespace {

constexpr std::string_view kPrefix = "SharedAccessSignature";

Error bad_token(std::string why) { return make_error(Exit::auth, "invalid token", std::move(why)); }

}  // namespace

Status check_key(std::string_view key_name, std::string_view key) {
    if (key_name.empty()) return make_error(Exit::usage, "invalid key name", "it is empty");
    if (key_name.size() > kMaxKeyNameLength)
        return make_error(Exit::usage, "invalid key name", "it is longer than 256 characters");
    if (text::has_control(key_name) || !text::is_valid_utf8(key_name))
        return make_error(Exit::usage, "invalid key name", "it contains control characters or invalid UTF-8");
    if (key.empty()) return make_error(Exit::usage, "invalid key", "it is empty");
    if (key.size() > kMaxKeyLength) return make_error(Exit::usage, "invalid key", "it is longer than 256 characters");
    if (text::has_control(key) || !text::is_valid_utf8(key))
        return make_error(Exit::usage, "invalid key", "it contains control characters or invalid UTF-8");
    return {};
}

std::string mint(std::string_view resource, std::string_view key_name, std::string_view key, std::int64_t expiry) {
    std::string sr = text::encode_component(resource);
    std::string se = std::to_string(expiry);
    std::string sig = text::base64_encode(crypto::hmac_sha256(key, sr + "\n" + se));
    return fmt::format("{} sr={}&sig={}&se={}&skn={}", kPrefix, sr, text::encode_component(sig), se,
                       text::encode_component(key_name));
}

Result<Token> parse(std::string_view input) {
    if (input.empty()) return bad_token("the token is empty");
    if (input.size() > kMaxTokenLength) return bad_token(fmt::format("it is longer than {} bytes", kMaxTokenLength));
    if (!text::is_valid_utf8(input) || text::has_control(input))
        return bad_token("it contains control characters or invalid UTF-8");
    if (input.size() <= kPrefix.size() || !text::iequals(input.substr(0, kPrefix.size()), kPrefix))
        return bad_token("it does not start with 'SharedAccessSignature '");
    if (input[kPrefix.size()] != ' ' || input.size() == kPrefix.size() + 1 || input[kPrefix.size() + 1] == ' ')
        return bad_token("expected one space after 'SharedAccessSignature'");
    Token t;
    t.text = std::string(input);
    std::string_view body = input.substr(kPrefix.size() + 1);
    bool seen_sr = false, seen_sig = false, seen_se = false, seen_skn = false;
    for (std::string_view pair : text::split(body, '&')) {
        auto eq = pair.find('=');
        if (eq == std::string_view::npos) return bad_token(fmt::format("field {} has no '='", text::quote(pair, 20)));
        std::string_view name = pair.substr(0, eq), value = pair.substr(eq + 1);
        auto decoded = text::percent_decode(value);
        if (!decoded) return bad_token(fmt::format("field '{}' has a malformed %-escape", name));
        // Decoded fields are shown to people and put in JSON: text only.
        if (!text::is_valid_utf8(*decoded) || text::has_control(*decoded))
            return bad_token(fmt::format("field '{}' decodes to control characters or invalid UTF-8", name));
        auto once = [&](bool& seen) -> Status {
            if (seen) return bad_token(fmt::format("field '{}' appears twice", name));
            seen = true;
            if (value.empty()) return bad_token(fmt::format("field '{}' is empty", name));
            return {};
        };
        if (name == "sr") {
            if (auto s = once(seen_sr); !s) return s.error();
            t.resource_raw = std::string(value);
            t.resource = std::move(*decoded);
        } else if (name == "sig") {
            if (auto s = once(seen_sig); !s) return s.error();
            auto mac = text::base64_decode(*decoded);
            if (!mac || mac->size() != 32) return bad_token("'sig' is not the base64 of a 32-byte HMAC-SHA256");
            t.signature = std::move(*decoded);
        } else if (name == "se") {
            if (auto s = once(seen_se); !s) return s.error();
            if (value.size() > 12 || value.find_first_not_of("0123456789") != std::string_view::npos)
                return bad_token(fmt::format("'se' must be whole seconds since 1970, not {}", text::quote(value, 20)));
            t.expiry_raw = std::string(value);
            t.expiry = std::stoll(t.expiry_raw);
        } else if (name == "skn") {
            if (auto s = once(seen_skn); !s) return s.error();
            t.key_name = std::move(*decoded);
        } else {
            return bad_token(fmt::format("unknown field {}", text::quote(name, 20)));
        }
    }
    if (!seen_sr) return bad_token("the 'sr' (resource) field is missing");
    if (!seen_sig) return bad_token("the 'sig' (signature) field is missing");
    if (!seen_se) return bad_token("the 'se' (expiry) field is missing");
    if (!seen_skn) return bad_token("the 'skn' (key name) field is missing");
    return t;
}

bool signature_matches(const Token& token, std::string_view key) {
    std::string expected =
        text::base64_encode(crypto::hmac_sha256(key, token.resource_raw + "\n" + token.expiry_raw));
    return crypto::equal_constant_time(expected, token.signature);
}

Check check(const Token& token, std::string_view key_name, std::string_view key, std::int64_t now,
            const Audience& target, std::string_view other_host) {
    Check c;
    if (!key_name.empty() && token.key_name != key_name) c.failed = Failed::rule;
    else if (!signature_matches(token, key)) c.failed = Failed::signature;
    else if (token.expiry <= now) {
        c.failed = Failed::expired;
        c.expired_ago = now - token.expiry;
    } else if (auto aud = parse_audience(token.resource); !aud) c.failed = Failed::audience_uri;
    else {
        c.audience = std::move(*aud);
        bool host_ok = text::iequals(c.audience.host, target.host) ||
                       (!other_host.empty() && text::iequals(c.audience.host, other_host));
        Audience same_host = target;
        same_host.host = c.audience.host;
        if (!host_ok) c.failed = Failed::audience_host;
        else if (!audience_covers(c.audience, same_host)) c.failed = Failed::audience_path;
    }
    return c;
}

Status verify(const Token& token, std::string_view key_name, std::string_view key, std::int64_t now,
              const Audience& target) {
    Check c = check(token, key_name, key, now, target);
    switch (c.failed) {
    case Failed::nothing: return {};
    case Failed::rule:
        return make_error(Exit::auth, "token refused",
                          fmt::format("it was signed with rule '{}', not '{}'", token.key_name, key_name));
    case Failed::signature:
        return make_error(Exit::auth, "token refused",
                          "the signature does not match the key (wrong key, or the token was altered)");
    case Failed::expired:
        return make_error(Exit::token_expired, "token refused",
                          fmt::format("it expired {} second{} ago", c.expired_ago, c.expired_ago == 1 ? "" : "s"));
    case Failed::audience_uri:
        return make_error(Exit::wrong_audience, "token refused",
                          fmt::format("its resource {} is not an absolute URI", text::quote(token.resource)));
    case Failed::audience_host:
    case Failed::audience_path: break;
    }
    return make_error(Exit::wrong_audience, "token refused",
                      fmt::format("its audience {} does not cover this entity", text::quote(token.resource, 120)));
}

std::string redact(std::string_view token_text) { return redact_in(token_text); }

std::string redact_in(std::string_view line) {
    std::string out(line);
    for (std::string_view marker : {"sig=", "sig%3D", "sig%3d", "SharedAccessKey="}) {
        std::size_t pos = 0;
        while ((pos = out.find(marker, pos)) != std::string::npos) {
            std::size_t start = pos + marker.size();
            std::size_t end = out.find_first_of("&; \"'\n", start);
            // An encoded token ends at an encoded '&' too.
            std::size_t enc = out.find("%26", start);
            if (enc != std::string::npos && (end == std::string::npos || enc < end)) end = enc;
            if (end == std::string::npos) end = out.size();
            out.replace(start, end - start, "REDACTED");
            pos = start + 8;
        }
    }
    return out;
}

}  // namespace hyco::sas
