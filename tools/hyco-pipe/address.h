// hyco-pipe addresses: the one registry of address types (which feeds the
// parser, --help, the man page's ADDRESS TYPES section and completion) and
// the parser that turns `tcp-listen:127.0.0.1:8080` into a typed Address.
// Each family of types sits in one file, with its prefixes, help, parser and
// constructors: address_local.cpp (stdio, exec, mirror, literal),
// address_socket.cpp (tcp, unix), address_udp.cpp, address_relay.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"

namespace hyco {
class EventLoop;
}

namespace hyco {
class Stream;
}

namespace hyco::pipe {

enum class AddressKind {
    stdio,
    tcp,
    tcp_listen,
    unix_connect,
    unix_listen,
    exec,
    relay_listen,
    relay_connect,
    relay_http,
    mirror,
    literal,
    udp,
    udp_listen,
};

class Acceptor;
class Log;
struct Address;
struct AddressType;
struct PipeConfig;

/// What a listening address reports: a new connection as an unopened
/// stream with its peer's name, and the address to join it with when the
/// connection chose its own (an azbridge port name; nullptr: the pair's
/// other address); or that it cannot go on.
using AcceptedFn = std::function<void(std::unique_ptr<Stream>, const std::string& peer, const Address* forward)>;
using AcceptFailedFn = std::function<void(const Error&)>;

/// Checks what follows the ':' (its `,OPTION`s included) into `a`.
using ParseFn = Status (*)(const AddressType& type, std::string_view text, std::string_view arg, Address& a);
/// A fresh, unopened stream for a connecting address.
using ConnectFn = std::unique_ptr<Stream> (*)(EventLoop&, const PipeConfig&, const Address&);
/// The acceptor of a listening address.
using ListenFn = Result<std::unique_ptr<Acceptor>> (*)(EventLoop&, const PipeConfig&, const Address&, const Log&,
                                                       AcceptedFn, AcceptFailedFn);

/// One entry of the registry.
struct AddressType {
    AddressKind kind;
    std::string_view name;                  ///< canonical prefix, e.g. "tcp-listen"
    std::vector<std::string_view> aliases;  ///< other accepted prefixes
    std::string_view syntax;                ///< e.g. "tcp-listen:[HOST:]PORT"
    std::string_view help;                  ///< one paragraph for the man page
    bool listens;                           ///< accepts many connections (server mode)
    bool takes_argument;                    ///< something follows the ':'
    bool bare_ok;                           ///< the ':' and argument may be left out
    ParseFn parse;
    ConnectFn connect;  ///< set for connecting types
    ListenFn listen;    ///< set for listening types
};

/// Every address type, in the order the documentation lists them.
const std::vector<AddressType>& address_types();
const AddressType& address_type(AddressKind kind);

/// A parsed address. Only the fields its kind uses are set.
struct Address {
    AddressKind kind = AddressKind::stdio;
    std::string text;        ///< as the user wrote it (for messages and logs)
    std::string host;        ///< tcp, tcp-listen (brackets of IPv6 removed)
    std::uint16_t port = 0;  ///< tcp (1-65535), tcp-listen (0: any free port)
    std::string path;        ///< unix socket path; relay entity (may be empty)
    std::string argument;    ///< exec: the shell command; literal: the text
    /// relay-connect/relay-listen `,azbridge`: speak Azure Relay Bridge's
    /// connection preamble (see azbridge.h).
    bool azbridge = false;
    /// The azbridge port name: on relay-connect the one asked for, on
    /// relay-listen the name of the other address; on a forward its own.
    /// Empty: derived from the other address's port (azbridge's default).
    std::string port_name;
    /// relay-listen `,forward=NAME=ADDRESS`: further azbridge forwards.
    std::vector<Address> forwards;
    /// udp, udp-listen `,idle=DURATION`: a flow ends after this long
    /// without a datagram (zero: the default).
    std::chrono::milliseconds idle{0};

    bool listens() const { return address_type(kind).listens; }
    bool is_relay() const {
        return kind == AddressKind::relay_listen || kind == AddressKind::relay_connect || kind == AddressKind::relay_http;
    }
    bool is_udp() const { return kind == AddressKind::udp || kind == AddressKind::udp_listen; }
};

/// A usage error naming the address: `address 'tcp:x': why`.
Error address_error(std::string_view text, std::string why);

/// Parses one address. Errors are Exit::usage and name the address:
/// `address 'tcp:x': expected tcp:HOST:PORT`.
Result<Address> parse_address(std::string_view text);

/// The ADDRESS TYPES man section body (paragraphs, generated from the registry).
std::string address_types_help();
/// One line per type for --help: `  tcp:HOST:PORT  connect to ...`.
std::string address_types_summary();

}  // namespace hyco::pipe
