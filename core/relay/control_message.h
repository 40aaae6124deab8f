// The JSON messages of the listener control channel (docs/protocol.md §3):
// accept and request (relay -> listener), response and renewToken
// (listener -> relay). Parsing is strict about types and tolerant of extra
// fields, as real clients are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/base/error.h"

namespace hyco::control {

/// Largest control-channel text message a .NET listener can receive.
constexpr std::size_t kMaxMessageSize = 64 * 1024;

/// Header list in arrival order; names compared case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// First value of header `name` (case-insensitive), if present.
const std::string* find_header(const Headers& headers, std::string_view name);

struct RemoteEndpoint {
    std::string address;
    int port = 0;
};

struct Accept {
    std::string address;  ///< rendezvous URL: connect to accept, extend to reject
    std::string id;
    Headers connect_headers;
    RemoteEndpoint remote;
};

struct Request {
    std::string address;
    std::string id;
    std::string request_target;  ///< empty in the pointer form
    std::string method;          ///< empty in the pointer form
    RemoteEndpoint remote;
    Headers request_headers;
    bool has_body_field = false; ///< false in the pointer form
    bool body = false;           ///< a binary message with the body follows

    /// The rendezvous-pointer form: only address (and id) are present.
    bool is_pointer() const { return method.empty() && !has_body_field; }
};

struct Response {
    std::string request_id;
    int status_code = 200;
    std::string status_description;
    Headers response_headers;
    bool body = false;
};

struct RenewToken {
    std::string token;
};

using Message = std::variant<Accept, Request, Response, RenewToken>;

/// Parses one control-channel text message. Errors (Exit::failure) say what
/// is wrong: not JSON, not one top-level command, unknown command, a missing
/// or mistyped field, or a message over 64 KiB.
Result<Message> parse(std::string_view text);

/// Serializes in the field order the service and .NET use.
std::string serialize(const Message& message);

/// The command name of a message: "accept", "request", "response", "renewToken".
std::string_view command_name(const Message& message);

}  // namespace hyco::control
