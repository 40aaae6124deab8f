// Relay addresses: relay-listen: (with azbridge's port names and forwards),
// relay-connect: and the HTTP front relay-http:.
#include <cctype>

#include <fmt/format.h>

#include "core/auth/relay_uri.h"
#include "tools/hyco-pipe/address_families.h"
#include "tools/hyco-pipe/address_family.h"
#include "tools/hyco-pipe/azbridge.h"
#include "tools/hyco-pipe/http_front.h"
#include "tools/hyco-pipe/relay_endpoint.h"

namespace hyco::pipe::family {
namespace {

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

Status parse_path(std::string_view text, std::string_view arg, Address& a) {
    if (arg.empty()) return {};
    auto p = normalize_entity_path(arg);
    if (!p) return bad(text, p.error().message());
    a.path = *p;
    return {};
}

/// `,azbridge[=NAME]` on both relay stream types; `,forward=NAME=ADDRESS` on
/// relay-listen, where an option it does not know, after a forward=, belongs
/// to that forward's address (`forward=dns=udp:127.0.0.1:53,idle=5s`).
Status parse_relay_stream(const AddressType& type, std::string_view text, std::string_view arg, Address& a) {
    bool listening = type.kind == AddressKind::relay_listen;
    auto st = take_options(arg, [&](const Option& o) -> Status {
        if (o.key == "azbridge") {
            a.azbridge = true;
            if (o.has_value) {
                if (auto named = check_port_name(text, o.value); !named) return named;
                a.port_name = std::string(o.value);
            }
            return {};
        }
        if (listening && o.key == "forward") {
            auto sep = o.value.find('=');
            if (sep == std::string_view::npos) return bad(text, "expected forward=NAME=ADDRESS");
            if (auto named = check_port_name(text, o.value.substr(0, sep)); !named) return named;
            Address f;
            f.text = std::string(o.value.substr(sep + 1));
            f.port_name = std::string(o.value.substr(0, sep));
            a.azbridge = true;
            a.forwards.push_back(std::move(f));
            return {};
        }
        if (listening && !a.forwards.empty()) {
            a.forwards.back().text += "," + std::string(o.word);
            return {};
        }
        return bad(text, fmt::format("unknown option '{}' (expected {})", o.word, type.syntax));
    });
    if (!st) return st;
    for (Address& f : a.forwards) {
        std::string name = std::move(f.port_name);
        auto parsed = parse_address(f.text);
        if (!parsed) return bad(text, fmt::format("forward '{}': {}", name, parsed.error().message()));
        if (parsed->listens() || parsed->kind == AddressKind::stdio)
            return bad(text, fmt::format("forward '{}': a forward connects; '{}' cannot", name, f.text));
        f = std::move(*parsed);
        f.port_name = std::move(name);
    }
    return parse_path(text, arg, a);
}

Status parse_relay_http(const AddressType&, std::string_view text, std::string_view arg, Address& a) {
    return parse_path(text, arg, a);
}

Result<std::unique_ptr<Acceptor>> open_listen(EventLoop& loop, const PipeConfig& config, const Address& a,
                                              const Log& log, AcceptedFn accepted, AcceptFailedFn failed) {
    if (a.azbridge) return open_azbridge_acceptor(loop, config, a, log, std::move(accepted), std::move(failed));
    return open_relay_acceptor(loop, config, a, log, std::move(accepted), std::move(failed));
}

std::unique_ptr<Stream> connect(EventLoop& loop, const PipeConfig& config, const Address& a) {
    if (a.azbridge) return make_azbridge_relay_connect(loop, config, a);
    return make_relay_connect_endpoint(loop, config, a);
}

}  // namespace

std::vector<AddressType> relay() {
    return {
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
         true, true, true, parse_relay_stream, nullptr, open_listen},
        {AddressKind::relay_connect, "relay-connect", {"relay"}, "relay-connect:[PATH][,azbridge[=NAME]]",
         "Be a sender: open a WebSocket to the Hybrid Connection PATH (default: --path or EntityPath). The "
         "stream travels as binary messages with no framing of its own, so any WebSocket peer can take part; "
         "opposite udp: or udp-listen: each datagram is one message. With ,azbridge it stands in for "
         "azbridge -L: each connection first asks an azbridge listener (or relay-listen:...,azbridge) for port "
         "NAME (default: the other address's listening port, with U for udp-listen:), and a refusal fails the "
         "session with the reason; in datagram mode each datagram travels with a 2-byte length, as azbridge's do.",
         false, true, true, parse_relay_stream, connect, nullptr},
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
         false, true, true, parse_relay_http, make_relay_http_endpoint, nullptr},
    };
}

}  // namespace hyco::pipe::family
