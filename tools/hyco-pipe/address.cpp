// The address registry and parser (see address.h). Type names are matched
// case-insensitively, as socat does; everything after the first ':' is the
// type's argument, checked by its family so that a typo fails before any
// socket is opened.
#include "tools/hyco-pipe/address.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/base/text.h"
#include "tools/hyco-pipe/address_families.h"

namespace hyco::pipe {
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

Error address_error(std::string_view text, std::string why) {
    return make_error(Exit::usage, fmt::format("address '{}'", text), std::move(why));
}

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
    if (text.empty()) return address_error(text, "empty address");
    Address a;
    a.text = std::string(text);
    auto colon = text.find(':');
    std::string_view prefix = text.substr(0, colon);
    const AddressType* type = find_type(prefix);
    if (!type) {
        if (colon != std::string_view::npos && !prefix.empty() &&
            std::all_of(text.begin() + static_cast<std::ptrdiff_t>(colon) + 1, text.end(),
                        [](unsigned char c) { return std::isdigit(c); }))
            return address_error(text,
                               fmt::format("unknown address type '{}' (for a TCP port write tcp:{})", prefix, text));
        return address_error(text, fmt::format("unknown address type '{}' (see ADDRESS TYPES in --help)", prefix));
    }
    a.kind = type->kind;
    bool has_colon = colon != std::string_view::npos;
    if (type->takes_argument && !has_colon && !type->bare_ok)
        return address_error(text, fmt::format("expected {}", type->syntax));
    std::string_view arg = has_colon ? text.substr(colon + 1) : std::string_view{};
    if (!type->takes_argument && !arg.empty())
        return address_error(text, fmt::format("{}: takes no argument", type->name));
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
