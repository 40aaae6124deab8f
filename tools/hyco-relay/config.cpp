// Resolution of hyco-relay's options: rules and entities from flags and the
// config file, validated with the same checks the SDKs apply to keys.
#include "tools/hyco-relay/config.h"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/auth/crypto.h"
#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "tools/common/secrets.h"
#include "tools/common/secret_files.h"

namespace hyco::relay {
namespace {

Result<std::chrono::milliseconds> duration_option(const std::string& name, const std::string& value, bool zero_ok) {
    if (zero_ok && (value == "0" || value == "0s")) return std::chrono::milliseconds(0);
    auto d = parse_duration(value);
    if (!d) return make_error(Exit::usage, "invalid " + name + " " + text::quote(value), d.error().why);
    return *d;
}

Status add_rule(Config& c, Rule r) {
    if (c.rule(r.name)) return make_error(Exit::usage, "invalid rule " + text::quote(r.name), "declared twice");
    c.rules.push_back(std::move(r));
    return {};
}

}  // namespace

const Rule* Config::rule(std::string_view name) const {
    for (const Rule& r : rules)
        if (r.name == name) return &r;
    return nullptr;
}

const Rule& Config::banner_rule() const {
    for (const Rule& r : rules)
        if (r.rights & kManage) return r;
    return rules.front();
}

std::string Config::connection_string(std::uint16_t bound_port) const {
    return connection_string(bound_port, banner_rule());
}

std::vector<std::string> Config::banner_lines(std::uint16_t bound_port) const {
    const Rule& first = banner_rule();
    std::vector<std::string> out{connection_string(bound_port, first)};
    for (const Rule& r : rules)
        if (&r != &first && r.generated) out.push_back(connection_string(bound_port, r));
    return out;
}

std::string Config::connection_string(std::uint16_t bound_port, const Rule& r) const {
    Namespace n = ns;
    n.port = bound_port;
    std::string out = fmt::format("Endpoint=sb://{}/;SharedAccessKeyName={};SharedAccessKey={}", n.authority(),
                                  r.name, r.key);
    if (!ns.tls) out += ";UseDevelopmentEmulator=true";
    return out;
}

Result<unsigned> parse_rights(std::string_view t) {
    unsigned rights = 0;
    std::string s(t);
    for (char& c : s)
        if (c == '+' || c == '|') c = ',';
    for (std::string_view part : text::split(s, ',')) {
        std::string_view p = text::trim(part);
        if (text::iequals(p, "listen")) rights |= kListen;
        else if (text::iequals(p, "send")) rights |= kSend;
        else if (text::iequals(p, "manage")) rights |= kManage | kListen | kSend;
        else return make_error(Exit::usage, "invalid rights " + text::quote(t), "expected listen, send and/or manage");
    }
    if (!rights) return make_error(Exit::usage, "invalid rights", "none given");
    return rights;
}

std::string generate_key() { return text::base64_encode(crypto::random_bytes(32)); }

Result<Rule> parse_rule(std::string_view spec) {
    // Name only: the spec may hold a key, which must not reach stderr.
    auto fail = [&](std::string why) {
        return make_error(Exit::usage, "invalid --rule " + text::quote(spec.substr(0, spec.find(':')), 40),
                          std::move(why));
    };
    auto first = spec.find(':');
    auto last = spec.rfind(':');
    if (first == std::string_view::npos) return fail("expected NAME:RIGHTS or NAME:KEY:RIGHTS");
    Rule r;
    r.name = std::string(spec.substr(0, first));
    r.key = first == last ? std::string() : std::string(spec.substr(first + 1, last - first - 1));
    auto rights = parse_rights(spec.substr(last + 1));
    if (!rights) return fail(rights.error().message());
    r.rights = *rights;
    if (r.key.empty()) {
        r.key = generate_key();
        r.generated = true;
    }
    if (auto st = sas::check_key(r.name, r.key); !st) return fail(st.error().message());
    return r;
}

Result<EntityDecl> parse_entity(std::string_view spec) {
    EntityDecl e;
    std::string_view path = spec;
    if (auto c = spec.rfind(':'); c != std::string_view::npos) {
        std::string_view flag = spec.substr(c + 1);
        if (!text::iequals(flag, "anonymous"))
            return make_error(Exit::usage, "invalid --entity " + text::quote(spec), "the only flag is ':anonymous'");
        e.anonymous_senders = true;
        path = spec.substr(0, c);
    }
    auto p = normalize_entity_path(path);
    if (!p) return p.error();
    e.path = *p;
    return e;
}

Status load_config_file(const std::string& path, Config& c) {
    std::ifstream f(path);
    if (!f) return make_error(Exit::usage, "cannot read --config " + text::quote(path), "no such file or unreadable");
    std::stringstream ss;
    ss << f.rdbuf();
    auto given_keys = [&] {
        return std::count_if(c.rules.begin(), c.rules.end(), [](const Rule& r) { return !r.generated; });
    };
    auto before = given_keys();
    if (auto st = parse_config_text(ss.str(), path, c); !st) return st;
    // Keys in a file others can read are as exposed as keys on a command line.
    if (given_keys() > before) cli::warn_if_exposed(path, "config file");
    return {};
}

Status parse_config_text(std::string_view json, const std::string& path, Config& c) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    auto fail = [&](std::string why) { return make_error(Exit::usage, "invalid --config " + path, std::move(why)); };
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    try {
        for (const auto& r : j.value("rules", nlohmann::json::array())) {
            Rule rule;
            rule.name = r.at("name").get<std::string>();
            rule.key = r.value("key", std::string());
            if (rule.key.empty()) {
                rule.key = generate_key();
                rule.generated = true;
            }
            const auto& rights = r.at("rights");
            std::string list;
            if (rights.is_array())
                for (const auto& x : rights) list += x.get<std::string>() + ",";
            else list = rights.get<std::string>();
            if (!list.empty() && list.back() == ',') list.pop_back();
            auto parsed = parse_rights(list);
            if (!parsed) return fail("rule '" + rule.name + "': " + parsed.error().message());
            rule.rights = *parsed;
            if (auto st = sas::check_key(rule.name, rule.key); !st) return fail(st.error().message());
            if (auto st = add_rule(c, std::move(rule)); !st) return st;
        }
        for (const auto& e : j.value("entities", nlohmann::json::array())) {
            auto p = normalize_entity_path(e.at("path").get<std::string>());
            if (!p) return fail(p.error().message());
            c.entities.push_back({*p, !e.value("requiresClientAuthorization", true)});
        }
        if (j.contains("declaredOnly")) c.declared_only = j.at("declaredOnly").get<bool>();
    } catch (const nlohmann::json::exception& e) {
        return fail(e.what());
    }
    return {};
}

int default_max_connections(long nofile) {
    long n = std::min<long>(nofile - kDescriptorHeadroom, kDefaultMaxConnections);
    return static_cast<int>(n < 8 ? 8 : n);
}

Result<Config> resolve(const Options& o) {
    Config c;
    c.bind_host = o.host;
    if (o.port < 0 || o.port > 65535) return make_error(Exit::usage, "invalid --port", "expected 0 to 65535");
    c.port = static_cast<std::uint16_t>(o.port);
    std::string ns_host = o.namespace_name;
    if (ns_host.empty()) ns_host = (o.host == "0.0.0.0" || o.host == "::") ? "localhost" : o.host;
    c.ns.host = text::to_lower(ns_host);
    c.ns.tls = o.tls || !o.cert_file.empty();
    if (o.cert_file.empty() != o.key_file.empty())
        return make_error(Exit::usage, "invalid TLS options", "--cert and --key go together");
    c.cert_file = o.cert_file;
    c.key_file = o.key_file;
    if (!o.config_file.empty())
        if (auto st = load_config_file(o.config_file, c); !st) return st.error();
    for (const std::string& spec : o.rules) {
        auto r = parse_rule(spec);
        if (!r) return r.error();
        if (auto st = add_rule(c, std::move(*r)); !st) return st.error();
    }
    if (c.rules.empty()) c.rules.push_back({"RootManageSharedAccessKey", generate_key(), kManage | kListen | kSend, true});
    for (const std::string& spec : o.entities) {
        auto e = parse_entity(spec);
        if (!e) return e.error();
        c.entities.push_back(std::move(*e));
    }
    c.declared_only = c.declared_only || o.declared_only;
    if (c.declared_only && c.entities.empty())
        return make_error(Exit::usage, "--declared-only", "no entity is declared (use --entity or the config file)");
    auto rt = duration_option("--rendezvous-timeout", o.rendezvous_timeout, false);
    if (!rt) return rt.error();
    auto ht = duration_option("--http-timeout", o.http_timeout, false);
    if (!ht) return ht.error();
    auto tg = duration_option("--token-grace", o.token_grace, true);
    if (!tg) return tg.error();
    c.rendezvous_timeout = *rt;
    c.http_timeout = *ht;
    c.token_grace = *tg;
    auto it = duration_option("--idle-timeout", o.idle_timeout, true);
    if (!it) return it.error();
    c.idle_timeout = *it;
    if (o.max_listeners < 1 || o.max_listeners > 1000)
        return make_error(Exit::usage, "invalid --max-listeners", "expected 1 to 1000");
    c.max_listeners = o.max_listeners;
    if (o.max_connections < 0) return make_error(Exit::usage, "invalid --max-connections", "expected a positive number");
    rlimit nofile{};
    bool known = getrlimit(RLIMIT_NOFILE, &nofile) == 0;
    long limit = known ? static_cast<long>(std::min<rlim_t>(nofile.rlim_cur, 1L << 30)) : 1024;
    long hard = known ? static_cast<long>(std::min<rlim_t>(nofile.rlim_max, 1L << 30)) : limit;
    if (limit < kMinDescriptors)
        return make_error(Exit::failure, fmt::format("the descriptor limit (ulimit -n {}) is too small", limit),
                          fmt::format("hyco-relay needs at least {}", kMinDescriptors));
    // More than the soft limit allows raises it, up to the hard limit.
    long ceiling = std::min<long>(std::max(limit, hard) - kDescriptorHeadroom, kMaxConnectionsCeiling);
    if (o.max_connections > ceiling)
        return make_error(Exit::usage, fmt::format("invalid --max-connections {}", o.max_connections),
                          fmt::format("the hard descriptor limit (ulimit -Hn {}) allows at most {}",
                                      known && nofile.rlim_max == RLIM_INFINITY ? "unlimited" : std::to_string(hard),
                                      ceiling));
    c.max_connections = o.max_connections ? o.max_connections : default_max_connections(limit);
    if (c.max_connections + kDescriptorHeadroom > limit) limit = c.max_connections + kDescriptorHeadroom;
    c.descriptor_limit = limit;
    // A small limit leaves less room for 503 answers than kOverloadAnswers:
    // those beyond it are closed at once rather than run out of descriptors.
    c.overload_answers = static_cast<int>(
        std::clamp<long>(limit - kOwnDescriptors - c.max_connections, 0, kOverloadAnswers));
    c.status_public = o.status_public;
    c.verbose = o.verbose;
    return c;
}

}  // namespace hyco::relay
