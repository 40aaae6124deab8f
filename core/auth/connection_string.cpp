// Connection-string parsing; strict, because a typo in a key name would
// otherwise silently drop a credential.
#include "core/auth/connection_string.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/text.h"

namespace hyco {
namespace {

Error bad(std::string why) { return make_error(Exit::usage, "invalid connection string", std::move(why)); }

// .NET TimeSpan text: [d.]hh:mm:ss
std::optional<std::chrono::seconds> parse_timespan(std::string_view v) {
    auto parts = text::split(v, ':');
    if (parts.size() != 3) return std::nullopt;
    long long days = 0;
    std::string_view h = parts[0];
    if (auto dot = h.find('.'); dot != std::string_view::npos) {
        // Digits only and at most TimeSpan's own range (10,675,199 days):
        // stoll alone takes signs and spaces, and a huge count overflowed.
        std::string_view d = h.substr(0, dot);
        if (d.empty() || d.size() > 8 || d.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        days = std::stoll(std::string(d));
        h = h.substr(dot + 1);
    }
    long long vals[3];
    std::string_view fields[3] = {h, parts[1], parts[2]};
    for (int i = 0; i < 3; ++i) {
        if (fields[i].empty() || fields[i].size() > 2 || fields[i].find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        vals[i] = std::stoll(std::string(fields[i]));
    }
    if (vals[1] > 59 || vals[2] > 59 || vals[0] > 23) return std::nullopt;
    return std::chrono::seconds(days * 86400 + vals[0] * 3600 + vals[1] * 60 + vals[2]);
}

// A "key" that is really a key name glued to a secret (a missing '=') must
// not be echoed, so only short alphabetic names are shown.
std::string unknown_key(std::string_view name) {
    static constexpr std::string_view known[] = {"SharedAccessSignature", "SharedAccessKeyName", "SharedAccessKey",
                                                 "EntityPath", "Endpoint", "UseDevelopmentEmulator",
                                                 "OperationTimeout"};
    bool plain = name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
                     return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                 });
    for (std::string_view k : known)
        if (name.size() > k.size() && text::iequals(name.substr(0, k.size()), k))
            return fmt::format("unknown key starting with '{}' (is an '=' missing? the rest is not shown)", k);
    if (plain) return fmt::format("unknown key '{}'", name);
    return fmt::format("unknown key of {} characters (not shown: it may hold a secret)", name.size());
}

}  // namespace

Result<ConnectionString> parse_connection_string(std::string_view input) {
    if (text::trim(input).empty()) return bad("it is empty");
    if (input.size() > 16384) return bad("it is longer than 16384 characters");
    if (!text::is_valid_utf8(input)) return bad("it is not valid UTF-8");
    ConnectionString cs;
    std::optional<std::string> endpoint, entity, key_name, key, sig, emulator, timeout;
    int index = 0;
    for (std::string_view segment : text::split(input, ';')) {
        ++index;
        if (text::trim(segment).empty()) continue;
        auto eq = segment.find('=');
        // The segment itself is not quoted: it may be a mistyped key.
        if (eq == std::string_view::npos)
            return bad(fmt::format("segment {} has no '=' (expected Key=Value)", index));
        std::string_view name = text::trim(segment.substr(0, eq));
        std::string value(text::trim(segment.substr(eq + 1)));
        if (text::has_control(value)) return bad(fmt::format("the value of {} contains control characters", name));
        std::optional<std::string>* slot = nullptr;
        if (text::iequals(name, "Endpoint")) slot = &endpoint;
        else if (text::iequals(name, "EntityPath")) slot = &entity;
        else if (text::iequals(name, "SharedAccessKeyName")) slot = &key_name;
        else if (text::iequals(name, "SharedAccessKey")) slot = &key;
        else if (text::iequals(name, "SharedAccessSignature")) slot = &sig;
        else if (text::iequals(name, "UseDevelopmentEmulator")) slot = &emulator;
        else if (text::iequals(name, "OperationTimeout")) slot = &timeout;
        else if (text::iequals(name, "Authentication"))
            return bad("Authentication (Azure AD / managed identity) is not supported; use a SAS rule or token");
        else
            return bad(unknown_key(name));
        if (slot->has_value()) return bad(fmt::format("key '{}' appears twice", name));
        if (value.empty()) return bad(fmt::format("key '{}' has an empty value", name));
        *slot = std::move(value);
    }
    if (emulator) {
        if (text::iequals(*emulator, "true")) cs.emulator = true;
        else if (!text::iequals(*emulator, "false"))
            return bad("UseDevelopmentEmulator must be true or false");
    }
    if (!endpoint) return bad("Endpoint is missing");
    if (endpoint->find("://") == std::string::npos || text::to_lower(endpoint->substr(0, 5)) != "sb://")
        return bad(fmt::format("Endpoint must be an sb:// URI, not {}", text::quote(*endpoint)));
    auto ns = parse_namespace(*endpoint, cs.emulator);
    if (!ns) return bad("Endpoint: " + ns.error().why);
    cs.endpoint = *ns;
    if (entity) {
        auto p = normalize_entity_path(*entity);
        if (!p) return bad("EntityPath: " + p.error().why);
        cs.entity_path = *p;
    }
    if (key_name.has_value() != key.has_value())
        return bad(key_name ? "SharedAccessKeyName is given without SharedAccessKey"
                            : "SharedAccessKey is given without SharedAccessKeyName");
    if (sig && key_name) return bad("SharedAccessSignature cannot be combined with SharedAccessKeyName/SharedAccessKey");
    if (key_name) {
        if (auto st = sas::check_key(*key_name, *key); !st)
            return bad(fmt::format("{}: {}", st.error().what == "invalid key" ? "SharedAccessKey" : "SharedAccessKeyName",
                                   st.error().why));
        cs.key_name = *key_name;
        cs.key = *key;
    }
    if (sig) {
        auto t = sas::parse(*sig);
        if (!t) return bad("SharedAccessSignature: " + t.error().why);
        cs.signature = *sig;
    }
    if (timeout) {
        cs.operation_timeout = parse_timespan(*timeout);
        if (!cs.operation_timeout) return bad("OperationTimeout must be a time span like 00:01:00");
    }
    return cs;
}

std::string ConnectionString::to_string() const {
    std::string out = fmt::format("Endpoint=sb://{}/", endpoint.authority());
    if (!entity_path.empty()) out += ";EntityPath=" + entity_path;
    if (!key_name.empty()) out += ";SharedAccessKeyName=" + key_name + ";SharedAccessKey=" + key;
    if (!signature.empty()) out += ";SharedAccessSignature=" + signature;
    if (emulator) out += ";UseDevelopmentEmulator=true";
    return out;
}

std::string ConnectionString::redacted() const {
    ConnectionString copy = *this;
    if (!copy.key.empty()) copy.key = "REDACTED";
    if (!copy.signature.empty()) copy.signature = sas::redact(copy.signature);
    return copy.to_string();
}

}  // namespace hyco
