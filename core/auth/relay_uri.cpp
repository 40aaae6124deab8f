// Relay URI construction and audience matching (docs/protocol.md §1 and §2.3).
#include "core/auth/relay_uri.h"

#include "core/base/text.h"
#include "core/base/uri.h"

namespace hyco {
namespace {

constexpr std::string_view kDefaultSuffix = ".servicebus.windows.net";

bool is_hostname_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

}  // namespace

std::string Namespace::authority() const {
    std::string h = uri_host(host);
    if (port && port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
    return h;
}

Result<Namespace> parse_namespace(std::string_view text, bool emulator) {
    std::string_view t = text::trim(text);
    auto fail = [&](std::string why) {
        return make_error(Exit::usage, "invalid namespace " + text::quote(text), std::move(why));
    };
    if (t.empty()) return fail("it is empty");
    Namespace ns;
    ns.tls = !emulator;
    if (t.find("://") != std::string_view::npos) {
        auto uri = parse_uri(t);
        if (!uri) return fail(uri.error().why);
        const std::string& s = uri->scheme;
        if (s == "ws" || s == "http") {
            ns.tls = false;
        } else if (s == "sb" || s == "wss" || s == "https") {
            // sb:// says nothing about TLS; the emulator flag decides.
            ns.tls = s == "sb" ? !emulator : true;
        } else {
            return fail("unsupported scheme '" + s + "' (use sb://, wss://, ws://, https:// or http://)");
        }
        if (!uri->path.empty() && uri->path != "/")
            return fail("a namespace has no path; give the entity with --path or EntityPath");
        if (!uri->query.empty()) return fail("a namespace has no query string");
        ns.host = uri->host;
        ns.port = uri->port.value_or(0);
        return ns;
    }
    std::string_view host = t;
    if (auto c = t.rfind(':'); c != std::string_view::npos && t.find(':') == c) {
        auto port = parse_port(t.substr(c + 1));
        if (!port) return fail("the port must be a number from 1 to 65535");
        ns.port = *port;
        host = t.substr(0, c);
    }
    if (host.empty()) return fail("the host is missing");
    for (char c : host)
        if (!is_hostname_char(c)) return fail("the host has invalid characters");
    ns.host = text::to_lower(host);
    bool is_ip = ns.host.find_first_not_of("0123456789.") == std::string::npos;
    if (ns.host.find('.') == std::string::npos && ns.host != "localhost" && !is_ip)
        ns.host += kDefaultSuffix;
    return ns;
}

Result<std::string> normalize_entity_path(std::string_view path) {
    auto fail = [&](std::string why) {
        return make_error(Exit::usage, "invalid entity path " + text::quote(path), std::move(why));
    };
    std::string_view p = path;
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
    while (!p.empty() && p.back() == '/') p.remove_suffix(1);
    if (p.empty()) return fail("it is empty");
    if (p.size() > 260) return fail("it is longer than 260 bytes");
    if (!text::is_valid_utf8(p)) return fail("it is not valid UTF-8");
    if (text::has_control(p)) return fail("it contains control characters");
    for (std::string_view seg : text::split(p, '/')) {
        if (seg.empty()) return fail("it has an empty segment ('//')");
        if (seg == "." || seg == "..") return fail("'.' and '..' segments are not allowed");
        if (text::iequals(seg, "$hc")) return fail("'$hc' is added by hyco; give only the entity name");
    }
    return std::string(p);
}

std::string encode_entity_path(std::string_view path) {
    std::string out;
    bool first = true;
    for (std::string_view seg : text::split(path, '/')) {
        if (!first) out += '/';
        first = false;
        out += text::encode_path_segment(seg);
    }
    return out;
}

std::string Endpoint::url() const {
    std::string scheme = http ? (tls ? "https" : "http") : (tls ? "wss" : "ws");
    std::string h = uri_host(host);
    std::string out = scheme + "://" + h;
    if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
    return out + path;
}

Endpoint relay_endpoint(const Namespace& ns, std::string_view entity, Action action, const UriParams& params) {
    Endpoint ep;
    ep.tls = ns.tls;
    ep.host = ns.host;
    ep.port = ns.effective_port();
    ep.http = action == Action::http;
    std::string path = action == Action::http ? "/" : "/$hc/";
    path += encode_entity_path(entity);
    if (!params.suffix.empty()) {
        std::string_view s = params.suffix;
        while (!s.empty() && s.front() == '/') s.remove_prefix(1);
        path += "/" + encode_entity_path(s);
    }
    std::string query = params.query;
    auto add = [&](std::string_view kv) {
        if (!query.empty()) query += '&';
        query += kv;
    };
    if (action == Action::listen) add("sb-hc-action=listen");
    if (action == Action::connect) add("sb-hc-action=connect");
    if (!params.id.empty()) add("sb-hc-id=" + text::encode_component(params.id));
    if (params.token) add("sb-hc-token=" + text::encode_component(*params.token));
    ep.path = query.empty() ? path : path + "?" + query;
    return ep;
}

std::string audience_uri(const Namespace& ns, std::string_view entity) {
    // No port: the service ignores it and .NET's normaliser drops it too.
    std::string h = uri_host(ns.host);
    std::string out = "http://" + h + "/";
    if (!entity.empty()) out += encode_entity_path(entity) + "/";
    return out;
}

Result<Audience> parse_audience(std::string_view text) {
    auto uri = parse_uri(text);
    if (!uri) return uri.error();
    Audience a;
    a.host = uri->host;
    bool first = true;
    for (std::string_view seg : text::split(uri->path, '/')) {
        if (seg.empty()) continue;
        auto decoded = text::percent_decode(seg);
        if (!decoded) return make_error(Exit::usage, "invalid URI " + text::quote(text), "bad %-escape in the path");
        if (first && (text::iequals(*decoded, "$hc"))) {
            first = false;
            continue;
        }
        first = false;
        a.segments.push_back(std::move(*decoded));
    }
    return a;
}

bool audience_covers(const Audience& token, const Audience& target) {
    if (!text::iequals(token.host, target.host)) return false;
    if (token.segments.size() > target.segments.size()) return false;
    for (std::size_t i = 0; i < token.segments.size(); ++i)
        if (!text::iequals(token.segments[i], target.segments[i])) return false;
    return true;
}

}  // namespace hyco
