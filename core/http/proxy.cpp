// Proxy selection and the CONNECT exchange's text (see proxy.h). The
// environment rules follow curl's documented behaviour, so that one set of
// variables serves curl and hyco alike.
#include "core/http/proxy.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/base/uri.h"

namespace hyco {
namespace {

bool valid_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == ':';
}

/// An IP literal in binary (4 or 16 bytes), or nullopt for a name.
std::optional<std::string> ip_bytes(std::string_view text) {
    std::string s(text);
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
    return std::nullopt;
}

std::string_view strip_brackets(std::string_view s) {
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
    return s;
}

/// `10.0.0.0/8` or `fd00::/8` against a host's address bytes.
bool cidr_matches(std::string_view entry, const std::string& host_ip) {
    auto slash = entry.find('/');
    auto net = ip_bytes(strip_brackets(entry.substr(0, slash)));
    if (!net || net->size() != host_ip.size()) return false;
    std::string_view bits_text = entry.substr(slash + 1);
    if (bits_text.empty() || bits_text.size() > 3) return false;
    unsigned bits = 0;
    for (char c : bits_text) {
        if (c < '0' || c > '9') return false;
        bits = bits * 10 + static_cast<unsigned>(c - '0');
    }
    if (bits > net->size() * 8) return false;
    for (std::size_t i = 0; i < net->size() && bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
        unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
        if ((static_cast<unsigned char>((*net)[i]) & mask) != (static_cast<unsigned char>(host_ip[i]) & mask))
            return false;
    }
    return true;
}

std::string_view drop_trailing_dot(std::string_view s) {
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    return s;
}

Result<std::optional<ProxyServer>> parse_source(const std::string& value, const std::string& origin) {
    if (value.empty()) return std::optional<ProxyServer>();
    auto p = parse_proxy_url(value);
    if (!p) return Error{p.error().code, origin, p.error().why};
    return std::optional<ProxyServer>(std::move(*p));
}

}  // namespace

std::string ProxyServer::label() const { return uri_host(host) + ":" + std::to_string(port); }

Result<ProxyServer> parse_proxy_url(std::string_view url) {
    // The URL may hold a password: errors describe, never quote it.
    auto fail = [](std::string why) { return make_error(Exit::usage, "invalid proxy URL", std::move(why)); };
    if (url.empty()) return fail("it is empty");
    if (url.size() > 2048) return fail("it is longer than 2048 characters");
    if (text::has_control(url) || url.find(' ') != std::string_view::npos)
        return fail("it contains spaces or control characters");
    std::string_view rest = url;
    if (auto colon = url.find("://"); colon != std::string_view::npos) {
        std::string scheme = text::to_lower(url.substr(0, colon));
        if (scheme != "http")
            return fail("scheme '" + text::printable(scheme) +
                        "://' is not supported; give an HTTP proxy that tunnels with CONNECT: http://HOST:PORT");
        rest = url.substr(colon + 3);
    }
    std::size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    if (end != std::string_view::npos && rest.substr(end) != "/")
        return fail("a proxy URL has no path or query: http://[USER:PASSWORD@]HOST[:PORT]");
    ProxyServer p;
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        auto user = text::percent_decode(userinfo.substr(0, colon));
        auto password = colon == std::string_view::npos ? std::optional<std::string>("")
                                                          : text::percent_decode(userinfo.substr(colon + 1));
        if (!user || !password) return fail("malformed %-escape in the user name or password");
        if (user->empty()) return fail("the user name before '@' is empty");
        p.user = std::move(*user);
        p.password = std::move(*password);
    }
    auto hp = split_host_port(authority);
    if (!hp) return fail(hp.error().why);
    auto [host, port] = *hp;
    if (authority.front() != '[' && host.find(':') != std::string_view::npos)
        return fail("an IPv6 address goes in brackets: [::1]:3128");
    for (char c : host)
        if (!valid_host_char(c)) return fail("the host has invalid characters");
    p.host = text::to_lower(host);
    if (!port.empty()) {
        auto n = parse_port(port);
        if (!n) return fail("the port must be a number from 1 to 65535");
        p.port = *n;
    }
    return p;
}

Result<std::pair<std::string, std::string>> parse_proxy_user(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return make_error(Exit::usage, "proxy credentials", "expected USER:PASSWORD");
    if (text::has_control(text)) return make_error(Exit::usage, "proxy credentials", "control characters");
    return std::make_pair(std::string(text.substr(0, colon)), std::string(text.substr(colon + 1)));
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
    std::string name = text::to_lower(drop_trailing_dot(strip_brackets(host)));
    if (name.empty()) return false;
    std::optional<std::string> host_ip = ip_bytes(name);
    std::size_t pos = 0;
    while (pos < no_proxy.size()) {
        std::size_t end = no_proxy.find_first_of(", \t", pos);
        if (end == std::string_view::npos) end = no_proxy.size();
        std::string_view entry = no_proxy.substr(pos, end - pos);
        pos = end + 1;
        if (entry.empty()) continue;
        if (entry == "*") return true;
        if (host_ip) {
            if (entry.find('/') != std::string_view::npos) {
                if (cidr_matches(entry, *host_ip)) return true;
            } else if (auto ip = ip_bytes(strip_brackets(entry)); ip && *ip == *host_ip) {
                return true;
            }
            continue;
        }
        if (entry.front() == '.') entry.remove_prefix(1);
        std::string e = text::to_lower(drop_trailing_dot(entry));
        if (e.empty()) continue;
        if (name == e) return true;
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0 &&
            name[name.size() - e.size() - 1] == '.')
            return true;
    }
    return false;
}

ProxySources ProxySources::from_environment(const std::function<const char*(const char*)>& getenv) {
    auto get = [&](const char* name) -> const char* { return getenv ? getenv(name) : std::getenv(name); };
    ProxySources s;
    // The first non-empty variable of a pair wins, lower case first (curl).
    auto pick = [&](const char* lower, const char* upper, std::string& value, std::string* var) {
        for (const char* name : {lower, upper}) {
            const char* v = get(name);
            if (v && *v) {
                value = v;
                if (var) *var = name;
                return;
            }
        }
    };
    pick("https_proxy", "HTTPS_PROXY", s.https_proxy, &s.https_var);
    pick("http_proxy", "HTTP_PROXY", s.http_proxy, &s.http_var);
    pick("all_proxy", "ALL_PROXY", s.all_proxy, &s.all_var);
    pick("no_proxy", "NO_PROXY", s.no_proxy, nullptr);
    if (const char* u = get("HYCO_PROXY_USER"); u && *u) s.user = u;
    return s;
}

Result<ProxyConfig> resolve_proxy_config(const ProxySources& sources) {
    ProxyConfig c;
    c.no_proxy = sources.no_proxy;
    if (sources.flag) {
        auto p = parse_source(*sources.flag, "--proxy");
        if (!p) return p.error();
        c.tls = *p;
        c.plain = *p;
    } else {
        auto all = parse_source(sources.all_proxy, sources.all_var);
        if (!all) return all.error();
        auto https = parse_source(sources.https_proxy, sources.https_var);
        if (!https) return https.error();
        auto http = parse_source(sources.http_proxy, sources.http_var);
        if (!http) return http.error();
        c.tls = *https ? *https : *all;
        c.plain = *http ? *http : *all;
    }
    if (sources.user) {
        auto u = parse_proxy_user(*sources.user);
        if (!u) return u.error();
        for (auto* p : {&c.tls, &c.plain}) {
            if (!*p) continue;
            (*p)->user = u->first;
            (*p)->password = u->second;
        }
    }
    return c;
}

std::optional<ProxyServer> ProxyConfig::route(std::string_view host, bool tls_target) const {
    const std::optional<ProxyServer>& p = tls_target ? tls : plain;
    if (!p || no_proxy_matches(no_proxy, host)) return std::nullopt;
    return p;
}

std::string ProxyConfig::via(std::string_view host, bool tls_target) const {
    auto p = route(host, tls_target);
    return p ? " via proxy " + p->label() : std::string();
}

std::string connect_request(const ProxyServer& proxy, std::string_view host, std::uint16_t port) {
    std::string authority = uri_host(host) + ":" + std::to_string(port);
    std::string r = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
    if (!proxy.user.empty())
        r += "Proxy-Authorization: Basic " + text::base64_encode(proxy.user + ":" + proxy.password) + "\r\n";
    return r + "\r\n";
}

Status check_connect_answer(const HttpResponseHead& head, const ProxyServer& proxy, std::string_view host,
                            std::uint16_t port) {
    if (head.status >= 200 && head.status <= 299) return {};
    std::string status = std::to_string(head.status) + (head.reason.empty() ? "" : " " + head.reason);
    // 407 is the standard answer; tinyproxy, for one, says 401 to wrong credentials.
    if (head.status == 407 || head.status == 401)
        return make_error(Exit::auth, "proxy " + proxy.label(),
                          status + (proxy.user.empty()
                                        ? " (the proxy wants credentials: USER:PASSWORD@ in --proxy, "
                                          "--proxy-user-file or HYCO_PROXY_USER)"
                                        : " (check the --proxy credentials)"));
    return make_error(Exit::failure,
                      fmt::format("proxy {} refused CONNECT to {}:{}", proxy.label(), uri_host(host), port), status);
}

}  // namespace hyco
