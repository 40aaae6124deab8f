// The address registry and parser (see address.h). Type names are matched
// case-insensitively, as socat does; everything after the first ':' is the
// type's argument and is checked here so that a typo fails before any
// socket is opened.
#include "tools/hyco-pipe/address.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <sys/un.h>

#include "core/relay_uri.h"

namespace hyco::pipe {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

Error bad(std::string_view text, std::string why) {
    return make_error(Exit::usage, fmt::format("address '{}'", text), std::move(why));
}

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

/// Splits `HOST:PORT` / `[V6]:PORT`; with `host_optional`, a bare `PORT`.
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

Status parse_socket_path(std::string_view text, std::string_view arg, Address& a) {
    if (arg.empty()) return bad(text, "missing socket path");
    if (arg.size() >= sizeof(sockaddr_un{}.sun_path))
        return bad(text, fmt::format("socket path is longer than {} bytes", sizeof(sockaddr_un{}.sun_path) - 1));
    if (arg.find('\0') != std::string_view::npos) return bad(text, "socket path contains a NUL byte");
    a.path = std::string(arg);
    return {};
}

Status parse_argument(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    switch (type.kind) {
    case AddressKind::tcp:
        return parse_host_port(text, arg, false, a);
    case AddressKind::tcp_listen: {
        auto st = parse_host_port(text, arg, true, a);
        // Forwarded ports stay on this machine unless a host is named (as ssh -L and azbridge -L do).
        if (st && a.host.empty()) a.host = "127.0.0.1";
        return st;
    }
    case AddressKind::unix_connect:
    case AddressKind::unix_listen:
        return parse_socket_path(text, arg, a);
    case AddressKind::exec:
        if (arg.find_first_not_of(" \t") == std::string_view::npos) return bad(text, "missing command");
        a.argument = std::string(arg);
        return {};
    case AddressKind::relay_listen:
    case AddressKind::relay_connect:
    case AddressKind::relay_http:
        if (!arg.empty()) {
            auto p = normalize_entity_path(arg);
            if (!p) return bad(text, p.error().message());
            a.path = *p;
        }
        return {};
    case AddressKind::literal:
        a.argument = std::string(arg);
        return {};
    case AddressKind::stdio:
    case AddressKind::mirror:
        if (!arg.empty()) return bad(text, fmt::format("{}: takes no argument", type.name));
        return {};
    }
    return {};
}

const AddressType* find_type(std::string_view prefix) {
    std::string p = lower(prefix);
    for (const AddressType& t : address_types()) {
        if (t.name == p) return &t;
        for (std::string_view alias : t.aliases)
            if (alias == p) return &t;
    }
    return nullptr;
}

}  // namespace

const std::vector<AddressType>& address_types() {
    static const std::vector<AddressType> types = {
        {AddressKind::stdio, "stdio", {"-"}, "stdio",
         "Standard input and output. Only one address can be stdio; in server mode it serves one connection.",
         false, false},
        {AddressKind::tcp, "tcp", {"tcp-connect"}, "tcp:HOST:PORT",
         "Connect to a TCP port. HOST is a name or an address; write IPv6 addresses in brackets: tcp:[::1]:22.",
         false, true},
        {AddressKind::tcp_listen, "tcp-listen", {"tcp-l"}, "tcp-listen:[HOST:]PORT",
         "Accept TCP connections on PORT (0: any free port, logged with -v). HOST defaults to 127.0.0.1, so "
         "a forwarded port is reachable from this machine only; write 0.0.0.0 or [::] to accept from anywhere.",
         true, true},
        {AddressKind::unix_connect, "unix", {"unix-connect"}, "unix:PATH", "Connect to a Unix domain stream socket.",
         false, true},
        {AddressKind::unix_listen, "unix-listen", {"unix-l"}, "unix-listen:PATH",
         "Accept connections on a Unix domain stream socket. A stale socket file at PATH is replaced; the file is "
         "removed on exit.",
         true, true},
        {AddressKind::exec, "exec", {"system", "sh-c"}, "exec:COMMAND",
         "Run COMMAND with /bin/sh -c, connected through its standard input and output (stderr is inherited). "
         "Its end of output is the end of the stream; hyco-pipe closes its input when the other side ends.",
         false, true},
        {AddressKind::relay_listen, "relay-listen", {"relay-l"}, "relay-listen:[PATH]",
         "Be a listener on the Hybrid Connection PATH (default: --path or EntityPath): every relay connection "
         "a sender opens is one stream. HTTP requests sent to the entity's URL are served too: each is written "
         "to a fresh instance of the other address as an HTTP/1.1 request (the entity's path taken off the "
         "front, X-Forwarded-For, -Proto, -Host and -Prefix added, Connection: close) and the HTTP/1.1 response "
         "read back is relayed to the sender, so relay-listen:web tcp:127.0.0.1:8080 publishes a local web "
         "server at https://NAMESPACE/web/. A target that cannot be reached or answers something other than "
         "HTTP gives the sender 502. Uses the connection options.",
         true, true},
        {AddressKind::relay_connect, "relay-connect", {"relay"}, "relay-connect:[PATH]",
         "Be a sender: open a WebSocket to the Hybrid Connection PATH (default: --path or EntityPath). The "
         "stream travels as binary messages with no framing of its own, so any WebSocket peer can take part.",
         false, true},
        {AddressKind::relay_http, "relay-http", {}, "relay-http:[PATH]",
         "An HTTP front for the Hybrid Connection PATH (default: --path or EntityPath): the other address "
         "speaks HTTP/1.1 as a client (tcp-listen:8080 relay-http:web serves curl and browsers on port 8080), "
         "and every request goes to https://NAMESPACE/PATH/... (http:// for a plain relay) with a fresh "
         "ServiceBusAuthorization token and the Host of the namespace; the response comes back. Bodies "
         "stream both ways, with Content-Length or chunked; the client's connection is kept alive between "
         "requests, while each request has its own relay connection. A client's own ServiceBusAuthorization "
         "is kept, its Authorization passes to the listener untouched. The relay's answers (404 without a "
         "listener, 401) reach the client as they are; a relay that cannot be reached gives 502 and a line "
         "on stderr. Uses the connection options.",
         false, true},
        {AddressKind::mirror, "mirror", {}, "mirror:",
         "Echo: every byte written to it is read back from it; its end of input follows the end of its output.",
         false, false},
        {AddressKind::literal, "literal", {}, "literal:TEXT",
         "Read TEXT, then end of input; whatever is written to it is discarded.", false, true},
    };
    return types;
}

const AddressType& address_type(AddressKind kind) {
    for (const AddressType& t : address_types())
        if (t.kind == kind) return t;
    return address_types().front();  // unreachable: every kind is registered
}

Result<Address> parse_address(std::string_view text) {
    if (text.empty()) return bad(text, "empty address");
    Address a;
    a.text = std::string(text);
    auto colon = text.find(':');
    std::string_view prefix = text.substr(0, colon);
    const AddressType* type = find_type(prefix);
    if (!type) {
        if (colon != std::string_view::npos && !prefix.empty() &&
            std::all_of(text.begin() + static_cast<std::ptrdiff_t>(colon) + 1, text.end(),
                        [](unsigned char c) { return std::isdigit(c); }))
            return bad(text, fmt::format("unknown address type '{}' (for a TCP port write tcp:{})", prefix, text));
        return bad(text, fmt::format("unknown address type '{}' (see ADDRESS TYPES in --help)", prefix));
    }
    a.kind = type->kind;
    bool has_colon = colon != std::string_view::npos;
    if (type->takes_argument && !has_colon && type->kind != AddressKind::relay_listen &&
        type->kind != AddressKind::relay_connect && type->kind != AddressKind::relay_http)
        return bad(text, fmt::format("expected {}", type->syntax));
    std::string_view arg = has_colon ? text.substr(colon + 1) : std::string_view{};
    if (auto st = parse_argument(*type, text, arg, a); !st) {
        Error e = st.error();
        if ((type->kind == AddressKind::tcp || type->kind == AddressKind::tcp_listen) &&
            e.why.rfind("expected", 0) != 0)
            e.why += fmt::format(" (expected {})", type->syntax);
        return e;
    }
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
    out += "A listening address (tcp-listen, unix-listen, relay-listen) makes hyco-pipe a server: every "
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
