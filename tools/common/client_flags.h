// Options shared by the tools that hold WebSocket connections to a relay
// (hyco-send, hyco-listen, later hyco-pipe): TLS trust, extra handshake
// headers, subprotocols, timeouts and pings, data framing and progress.
#pragma once

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/relay/client_config.h"
#include "core/stream/framing.h"
#include "tools/common/tool.h"

namespace hyco::cli {

struct ClientFlags {
    std::string ca_file;
    bool insecure = false;
    std::vector<std::string> headers;
    std::vector<std::string> subprotocols;
    std::string connect_timeout = "30s";
    std::string ping_interval;
    std::string ping_timeout = "10s";
    std::string proxy;
    std::string proxy_user_file;
    std::string source_address;
    int verbose = 0;

    void declare(Tool& tool, CLI::App& app, const std::string& subprotocol_help);
    /// Checks and converts; warns on stderr about --insecure-skip-tls-verify.
    /// The proxy comes from --proxy, else the environment (proxy.h).
    Result<ClientOptions> resolve() const;

private:
    CLI::Option* proxy_option_ = nullptr;  ///< tells `--proxy ''` from no --proxy
};

struct DataFlags {
    bool binary = false;
    bool nul = false;
    bool progress = false;
    bool no_progress = false;

    void declare(CLI::App& app);
    Framing framing() const;
    /// Progress on stderr: forced on/off, else when stderr is a terminal and
    /// stdin or stdout is not (a transfer, not a chat).
    bool show_progress() const;
};

/// The control channel's keep-alive, for the tools that listen (hyco-listen,
/// hyco-pipe's relay-listen:).
struct KeepaliveFlags {
    std::string interval = "30s";
    std::string frame = "ping";

    void declare(Tool& tool, CLI::App& app);
    Result<Keepalive> resolve() const;
};

/// Parses "Name: value" (-H); Exit::usage on a malformed header.
Result<std::pair<std::string, std::string>> parse_header(const std::string& text);

/// Parses a duration option value, naming the option in the error.
Result<std::chrono::milliseconds> parse_duration_option(const std::string& option, const std::string& value);

}  // namespace hyco::cli
