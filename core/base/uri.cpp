// URI parsing. Strict about what would be ambiguous (spaces, control bytes,
// user-info, bad ports); lenient about case.
#include "core/base/uri.h"

#include "core/base/text.h"

namespace hyco {

std::uint16_t default_port(std::string_view scheme) {
    if (scheme == "ws" || scheme == "http") return 80;
    if (scheme == "wss" || scheme == "https" || scheme == "sb") return 443;
    return 0;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    unsigned v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v == 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

std::string uri_host(std::string_view host) {
    // Built by appending: GCC 12 reports a false -Wrestrict on "[" + s + "]" at -O3.
    std::string out;
    bool v6 = host.find(':') != std::string_view::npos;
    out.reserve(host.size() + 2);
    if (v6) out += '[';
    out += host;
    if (v6) out += ']';
    return out;
}

std::string Uri::authority() const {
    std::string a = uri_host(host);
    if (port) a += ":" + std::to_string(*port);
    return a;
}

Result<HostPort> split_host_port(std::string_view authority) {
    auto fail = [](std::string why) { return make_error(Exit::usage, "", std::move(why)); };
    HostPort hp{authority, {}};
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("unterminated IPv6 address");
        hp.host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("unexpected text after the IPv6 address");
            hp.port = after.substr(1);
            if (hp.port.empty()) return fail("the port is empty");
        }
    } else if (auto c = authority.rfind(':'); c != std::string_view::npos) {
        hp.host = authority.substr(0, c);
        hp.port = authority.substr(c + 1);
        if (hp.port.empty()) return fail("the port is empty");
    }
    if (hp.host.empty()) return fail("the host is missing");
    return hp;
}

Result<Uri> parse_uri(std::string_view text) {
    auto fail = [&](std::string why) { return make_error(Exit::usage, "invalid URI " + text::quote(text), std::move(why)); };
    if (text.empty()) return fail("it is empty");
    if (text.size() > 8192) return fail("it is longer than 8192 characters");
    if (text::has_control(text) || text.find(' ') != std::string_view::npos)
        return fail("it contains spaces or control characters");
    auto colon = text.find("://");
    if (colon == std::string_view::npos || colon == 0) return fail("expected scheme://host");
    Uri u;
    u.scheme = text::to_lower(text.substr(0, colon));
    for (char c : u.scheme)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
            return fail("the scheme has invalid characters");
    std::string_view rest = text.substr(colon + 3);
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    std::size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (authority.find('@') != std::string_view::npos) return fail("user information (user@host) is not supported");
    if (authority.empty()) return fail("the host is missing");
    auto hp = split_host_port(authority);
    if (!hp) return fail(hp.error().why);
    auto [host, port] = *hp;
    for (char c : host)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == ':' || c == '_'))
            return fail("the host has invalid characters");
    u.host = text::to_lower(host);
    if (!port.empty()) {
        u.port = parse_port(port);
        if (!u.port) return fail("the port must be a number from 1 to 65535");
    }
    auto q = rest.find('?');
    u.path = std::string(rest.substr(0, q));
    if (q != std::string_view::npos) u.query = std::string(rest.substr(q + 1));
    return u;
}

}  // namespace hyco
