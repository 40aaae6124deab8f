// hyco-token's work: everything protocol-related is in core/, this file only
// reads inputs and prints results (stdout) — errors go back to main.
#include "tools/hyco-token/commands.h"

#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/base/uri.h"

namespace hyco::token_tool {
namespace {

Result<std::string> token_text(const std::string& arg) {
    if (!arg.empty() && arg != "-") return std::string(text::trim(arg));
    std::string data;
    char buf[4096];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
        data.append(buf, static_cast<std::size_t>(std::cin.gcount()));
        if (data.size() > 65536) return make_error(Exit::usage, "reading the token from stdin", "more than 64 KiB");
    }
    std::string t(text::trim(data));
    if (t.empty()) return make_error(Exit::usage, "reading the token from stdin", "no token given (stdin was empty)");
    return t;
}

Result<std::int64_t> expiry_of(const std::string& ttl, const std::string& expiry, std::int64_t now) {
    if (!expiry.empty()) {
        if (expiry.size() > 12 || expiry.find_first_not_of("0123456789") != std::string::npos)
            return make_error(Exit::usage, "invalid --expiry " + text::quote(expiry), "expected seconds since 1970");
        std::int64_t e = std::stoll(expiry);
        if (e <= now) return make_error(Exit::usage, "invalid --expiry " + expiry, "it is in the past");
        return e;
    }
    auto d = parse_duration(ttl);
    if (!d) return d.error();
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
    if (secs < 1) return make_error(Exit::usage, "invalid --ttl " + text::quote(ttl), "it is shorter than a second");
    return now + secs;
}

}  // namespace

Status create(const CreateOptions& o) {
    auto target = o.conn.resolve(!o.namespace_wide && o.resource.empty());
    if (!target) return target.error();
    const Credentials& c = target->credentials;
    if (!c.can_mint())
        return make_error(Exit::usage, "no key to sign with",
                          "give --key-name with --key-file or HYCO_KEY, or a connection string with a key");
    std::int64_t now = unix_now();
    auto exp = expiry_of(o.ttl, o.expiry, now);
    if (!exp) return exp.error();
    std::string resource;
    if (!o.resource.empty()) {
        auto aud = parse_audience(o.resource);
        if (!aud) return aud.error();
        resource = o.resource;
    } else {
        resource = audience_uri(target->ns, o.namespace_wide ? "" : target->entity);
    }
    std::cout << sas::mint(resource, c.key_name, c.key, *exp) << "\n";
    return {};
}

Status decode(const DecodeOptions& o) {
    auto txt = token_text(o.token);
    if (!txt) return txt.error();
    auto t = sas::parse(*txt);
    if (!t) return t.error();
    std::int64_t now = unix_now();
    std::int64_t left = t->expiry - now;
    if (o.json) {
        nlohmann::json j = {{"resource", t->resource},      {"resource_encoded", t->resource_raw},
                            {"key_name", t->key_name},      {"expiry", t->expiry},
                            {"expires", format_utc(t->expiry)}, {"remaining_seconds", left > 0 ? left : 0},
                            {"expired", left <= 0}};
        std::cout << json_text(j, 2) << "\n";
        return {};
    }
    std::string remaining = left > 0 ? format_duration(std::chrono::seconds(left))
                                     : fmt::format("expired {} ago", format_duration(std::chrono::seconds(-left)));
    std::cout << fmt::format("resource:  {}\nkey name:  {}\nexpires:   {}\nremaining: {}\n", t->resource,
                             t->key_name, format_utc(t->expiry), remaining);
    return {};
}

Status verify(const VerifyOptions& o) {
    auto txt = token_text(o.token);
    if (!txt) return txt.error();
    auto t = sas::parse(*txt);
    if (!t) return t.error();
    // Without an explicit rule name the token's own `skn` names the rule.
    cli::ConnectFlags conn = o.conn;
    if (conn.key_name.empty()) conn.key_name = t->key_name;
    // --uri names the namespace itself: http://contoso.servicebus.windows.net/hyco.
    if (!o.uri.empty() && conn.ns.empty() && conn.connection_string.empty()) {
        auto scheme = o.uri.find("://");
        if (scheme != std::string::npos) conn.ns = o.uri.substr(0, o.uri.find_first_of("/?#", scheme + 3));
    }
    auto target = conn.resolve(o.uri.empty());
    if (!target) return target.error();
    const Credentials& c = target->credentials;
    if (!c.can_mint())
        return make_error(Exit::usage, "no key to verify with",
                          "give --key-file or HYCO_KEY, or a connection string with a key");
    std::string target_uri = o.uri.empty() ? audience_uri(target->ns, target->entity) : o.uri;
    auto aud = parse_audience(target_uri);
    if (!aud) return aud.error();
    std::int64_t now = unix_now();
    if (auto st = sas::verify(*t, o.conn.key_name.empty() ? std::string() : c.key_name, c.key, now, *aud); !st)
        return st.error();
    if (!o.quiet)
        std::cout << fmt::format("valid: rule '{}', covers {}, expires {} (in {})\n", t->key_name, t->resource,
                                 format_utc(t->expiry), format_duration(std::chrono::seconds(t->expiry - now)));
    return {};
}

Status uri(const UriOptions& o) {
    auto target = o.conn.resolve(true);
    if (!target) return target.error();
    UriParams p;
    p.id = o.id;
    p.suffix = o.suffix;
    if (o.with_token) {
        Credentials c = target->credentials;
        if (c.empty())
            return make_error(Exit::usage, "--with-token needs credentials", "give a key or a pre-issued token");
        auto d = parse_duration(o.ttl);
        if (!d) return d.error();
        c.ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
        p.token = c.token_for(target->ns, target->entity, unix_now());
    }
    Action a = o.kind == "listen" ? Action::listen : o.kind == "http" ? Action::http : Action::connect;
    std::cout << relay_endpoint(target->ns, target->entity, a, p).url() << "\n";
    return {};
}

}  // namespace hyco::token_tool
