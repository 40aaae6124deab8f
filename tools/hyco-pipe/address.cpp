// The address registry and parser (see address.h). Type names are matched
// case-insensitively, as socat does; everything after the first ':' is the
// type's argument and is checked here so that a typo fails before any
// socket is opened.
#include "tools/hyco-pipe/address.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <sys/un.h>

#include "core/base/duration.h"
#include "core/relay/relay_uri.h"

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

/// azbridge's own rule for port names (Constants.RelayNameRegex), and the
/// one length byte of its preamble.
Status check_port_name(std::string_view text, std::string_view name) {
    if (name.empty()) return bad(text, "empty azbridge port name");
    if (name.size() > 255) return bad(text, "an azbridge port name has at most 255 bytes");
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '/' && c != '_' && c != '-' && c != '.')
            return bad(text, fmt::format("azbridge port name '{}' may hold only letters, digits and / _ - .", name));
    return {};
}

/// The `,OPTION` words after a relay or UDP address (address.h). An
/// option relay-listen does not know, after a forward=, belongs to that
/// forward's address (`forward=dns=udp:127.0.0.1:53,idle=5s`).
Status parse_options(const AddressType& type, std::string_view text, std::string_view opts, Address& a) {
    std::size_t pos = 0;
    while (pos <= opts.size()) {
        std::size_t comma = opts.find(',', pos);
        std::string_view word = opts.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        pos = comma == std::string_view::npos ? opts.size() + 1 : comma + 1;
        auto eq = word.find('=');
        std::string key = lower(word.substr(0, eq));
        std::string_view value = eq == std::string_view::npos ? std::string_view{} : word.substr(eq + 1);
        bool relay = type.kind == AddressKind::relay_connect || type.kind == AddressKind::relay_listen;
        if (relay && key == "azbridge") {
            a.azbridge = true;
            if (eq != std::string_view::npos) {
                if (auto st = check_port_name(text, value); !st) return st;
                a.port_name = std::string(value);
            }
        } else if (type.kind == AddressKind::relay_listen && key == "forward") {
            auto sep = value.find('=');
            if (sep == std::string_view::npos) return bad(text, "expected forward=NAME=ADDRESS");
            if (auto st = check_port_name(text, value.substr(0, sep)); !st) return st;
            Address f;
            f.text = std::string(value.substr(sep + 1));
            f.port_name = std::string(value.substr(0, sep));
            a.azbridge = true;
            a.forwards.push_back(std::move(f));
        } else if (type.kind == AddressKind::relay_listen && !a.forwards.empty()) {
            a.forwards.back().text += "," + std::string(word);
        } else if ((type.kind == AddressKind::udp || type.kind == AddressKind::udp_listen) && key == "idle") {
            auto d = parse_duration(value);
            if (!d) return bad(text, "idle: " + d.error().message());
            if (d->count() <= 0) return bad(text, "idle: must be longer than zero");
            a.idle = *d;
        } else {
            return bad(text, fmt::format("unknown option '{}' (expected {})", word, type.syntax));
        }
    }
    for (Address& f : a.forwards) {
        std::string name = std::move(f.port_name);
        auto parsed = parse_address(f.text);
        if (!parsed) return bad(text, fmt::format("forward '{}': {}", name, parsed.error().message()));
        if (parsed->listens() || parsed->kind == AddressKind::stdio)
            return bad(text, fmt::format("forward '{}': a forward connects; '{}' cannot", name, f.text));
        f = std::move(*parsed);
        f.port_name = std::move(name);
    }
    return {};
}

Status parse_argument(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    if (type.kind == AddressKind::relay_connect || type.kind == AddressKind::relay_listen ||
        type.kind == AddressKind::udp || type.kind == AddressKind::udp_listen) {
        if (auto comma = arg.find(','); comma != std::string_view::npos) {
            if (auto st = parse_options(type, text, arg.substr(comma + 1), a); !st) return st;
            arg = arg.substr(0, comma);
        }
    }
    switch (type.kind) {
    case AddressKind::tcp:
    case AddressKind::udp:
        return parse_host_port(text, arg, false, a);
    case AddressKind::udp_listen: {
        auto st = parse_host_port(text, arg, true, a);
        if (st && a.host.empty()) a.host = "127.0.0.1";
        return st;
    }
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
        {AddressKind::relay_listen, "relay-listen", {"relay-l"}, "relay-listen:[PATH][,azbridge[=NAME]][,forward=NAME=ADDRESS]...",
         "Be a listener on the Hybrid Connection PATH (default: --path or EntityPath): every relay connection "
         "a sender opens is one stream. HTTP requests sent to the entity's URL are served too: each is written "
         "to a fresh instance of the other address as an HTTP/1.1 request (the entity's path taken off the "
         "front, X-Forwarded-For, -Proto, -Host and -Prefix added, Connection: close) and the HTTP/1.1 response "
         "read back is relayed to the sender, so relay-listen:web tcp:127.0.0.1:8080 publishes a local web "
         "server at https://NAMESPACE/web/. A target that cannot be reached or answers something other than "
         "HTTP gives the sender 502. Uses the connection options. With ,azbridge it stands in for azbridge -R: "
         "each connection begins with Azure Relay Bridge's preamble naming a port, and goes to the forward of "
         "that name: the other address, named NAME (default: its port, with U for udp:), and each "
         "forward=NAME=ADDRESS (a connecting address; options after it that relay-listen does not know are "
         "ADDRESS's own). A name with no forward gets the connection closed, a datagram flow for a stream "
         "forward (or the reverse) a refusal, as azbridge does. udp: forwards carry length-prefixed datagrams.",
         true, true},
        {AddressKind::relay_connect, "relay-connect", {"relay"}, "relay-connect:[PATH][,azbridge[=NAME]]",
         "Be a sender: open a WebSocket to the Hybrid Connection PATH (default: --path or EntityPath). The "
         "stream travels as binary messages with no framing of its own, so any WebSocket peer can take part; "
         "opposite udp: or udp-listen: each datagram is one message. With ,azbridge it stands in for "
         "azbridge -L: each connection first asks an azbridge listener (or relay-listen:...,azbridge) for port "
         "NAME (default: the other address's listening port, with U for udp-listen:), and a refusal fails the "
         "session with the reason; in datagram mode each datagram travels with a 2-byte length, as azbridge's do.",
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
        {AddressKind::udp, "udp", {"udp-connect"}, "udp:HOST:PORT[,idle=DURATION]",
         "Send datagrams to a UDP port and read its answers; each write is one datagram, and each datagram read "
         "is one piece of the stream (one relay message). UDP has no end: the flow ends after DURATION without "
         "a datagram either way (default 60 s) or when the other side ends.",
         false, true},
        {AddressKind::udp_listen, "udp-listen", {"udp-l"}, "udp-listen:[HOST:]PORT[,idle=DURATION]",
         "Receive datagrams on PORT (HOST defaults to 127.0.0.1): each client address is its own flow with a "
         "fresh instance of the other address, and answers go back to it. A flow ends after DURATION without "
         "a datagram (default 60 s); the next datagram from that address starts a new one. Datagrams that "
         "arrive while a flow cannot take them are dropped, as a full socket buffer would.",
         true, true},
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
        if ((type->kind == AddressKind::tcp || type->kind == AddressKind::tcp_listen || a.is_udp()) &&
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
