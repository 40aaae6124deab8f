// The address registry and parser (see address.h). Type names are matched
// case-insensitively, as socat does; everything after the first ':' is the
// type's argument, checked by its family so that a typo fails before any
// socket is opened.
#include "tools/hyco-pipe/address.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/base/text.h"
#include "tools/hyco-pipe/address_family.h"

namespace hyco::pipe {
namespace family {

Error bad(std::string_view text, std::string why) {
    return make_error(Exit::usage, fmt::format("address '{}'", text), std::move(why));
}

namespace {

/// Parses a decimal port; `allow_zero` for listening addresses.
Result<std::uint16_t> parse_port(std::string_view text, std::string_view s, bool allow_zero) {
    if (s.empty()) return bad(text, "missing port");
    if (s.size() > 5 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return bad(text, fmt::format("port '{}' is not a number", s));
    unsigned long v = std::stoul(std::string(s));
    if (v > 65535 || (v == 0 && !allow_zero))
        return bad(text, fmt::format("port {} is out of range ({}-65535)", v, allow_zero ? 0 : 1));
    return static_cast<std::uint16_t>(v);
}

}  // namespace

Status parse_host_port(std::string_view text, std::string_view arg, bool host_optional, Address& a) {
    std::string_view host, port;
    if (!arg.empty() && arg.front() == '[') {
        auto close = arg.find(']');
        if (close == std::string_view::npos) return bad(text, "missing ']' after the IPv6 address");
        host = arg.substr(1, close - 1);
        std::string_view rest = arg.substr(close + 1);
        if (rest.empty() || rest.front() != ':') return bad(text, "expected ':PORT' after the IPv6 address");
        port = rest.substr(1);
        if (host.empty()) return bad(text, "empty host");
    } else {
        auto colon = arg.rfind(':');
        if (colon == std::string_view::npos) {
            if (!host_optional) return bad(text, "expected HOST:PORT");
            port = arg;
        } else {
            host = arg.substr(0, colon);
            port = arg.substr(colon + 1);
            if (host.find(':') != std::string_view::npos)
                return bad(text, "write an IPv6 host in brackets, as in [::1]:PORT");
            if (host.empty() && !host_optional) return bad(text, "empty host");
        }
    }
    auto p = parse_port(text, port, host_optional);
    if (!p) return p.error();
    a.host = std::string(host);
    a.port = *p;
    return {};
}

Status take_options(std::string_view& arg, const std::function<Status(const Option&)>& take) {
    auto comma = arg.find(',');
    if (comma == std::string_view::npos) return {};
    std::string_view opts = arg.substr(comma + 1);
    arg = arg.substr(0, comma);
    std::size_t pos = 0;
    while (pos <= opts.size()) {
        std::size_t next = opts.find(',', pos);
        Option o;
        o.word = opts.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        pos = next == std::string_view::npos ? opts.size() + 1 : next + 1;
        auto eq = o.word.find('=');
        o.key = text::to_lower(o.word.substr(0, eq));
        o.has_value = eq != std::string_view::npos;
        if (o.has_value) o.value = o.word.substr(eq + 1);
        if (auto st = take(o); !st) return st;
    }
    return {};
}

Status with_syntax(const AddressType& type, Status st) {
    if (st) return st;
    Error e = st.error();
    if (e.why.rfind("expected", 0) != 0) e.why += fmt::format(" (expected {})", type.syntax);
    return e;
}

}  // namespace family

namespace {

const AddressType* find_type(std::string_view prefix) {
    std::string p = text::to_lower(prefix);
    for (const AddressType& t : address_types()) {
        if (t.name == p) return &t;
        for (std::string_view alias : t.aliases)
            if (alias == p) return &t;
    }
    return nullptr;
}

}  // namespace

const std::vector<AddressType>& address_types() {
    // The order of the documentation: local, sockets, the relay, the probes.
    static const std::vector<AddressType> types = [] {
        std::vector<AddressType> all;
        for (auto types_of : {family::local, family::socket, family::relay, family::udp, family::probes})
            for (AddressType& t : types_of()) all.push_back(std::move(t));
        return all;
    }();
    return types;
}

const AddressType& address_type(AddressKind kind) {
    for (const AddressType& t : address_types())
        if (t.kind == kind) return t;
    return address_types().front();  // unreachable: every kind is registered
}

Result<Address> parse_address(std::string_view text) {
    if (text.empty()) return family::bad(text, "empty address");
    Address a;
    a.text = std::string(text);
    auto colon = text.find(':');
    std::string_view prefix = text.substr(0, colon);
    const AddressType* type = find_type(prefix);
    if (!type) {
        if (colon != std::string_view::npos && !prefix.empty() &&
            std::all_of(text.begin() + static_cast<std::ptrdiff_t>(colon) + 1, text.end(),
                        [](unsigned char c) { return std::isdigit(c); }))
            return family::bad(text,
                               fmt::format("unknown address type '{}' (for a TCP port write tcp:{})", prefix, text));
        return family::bad(text, fmt::format("unknown address type '{}' (see ADDRESS TYPES in --help)", prefix));
    }
    a.kind = type->kind;
    bool has_colon = colon != std::string_view::npos;
    if (type->takes_argument && !has_colon && !type->bare_ok)
        return family::bad(text, fmt::format("expected {}", type->syntax));
    std::string_view arg = has_colon ? text.substr(colon + 1) : std::string_view{};
    if (!type->takes_argument && !arg.empty())
        return family::bad(text, fmt::format("{}: takes no argument", type->name));
    if (auto st = type->parse(*type, text, arg, a); !st) return st.error();
    return a;
}

std::string address_types_help() {
    std::string out;
    for (const AddressType& t : address_types()) {
        out += "  " + std::string(t.syntax);  // verbatim line in the man page
        if (!t.aliases.empty()) {
            out += "  (also ";
            for (std::size_t i = 0; i < t.aliases.size(); ++i)
                out += fmt::format("{}{}{}", i ? ", " : "", t.aliases[i], t.aliases[i] == "-" ? "" : ":");
            out += ")";
        }
        out += fmt::format("\n{}\n\n", t.help);
    }
    out += "A listening address (tcp-listen, unix-listen, udp-listen, relay-listen) makes hyco-pipe a server: every "
           "connection it accepts gets a fresh instance of the other address (a new connection, a new "
           "process), up to --max-connections at once. At most one address may listen.";
    return out;
}

std::string address_types_summary() {
    std::string out = "Address types:\n";
    for (const AddressType& t : address_types()) out += fmt::format("  {}\n", t.syntax);
    return out;
}

}  // namespace hyco::pipe
