// hyco-pipe's command line: the option table, the prose around it (with
// the ADDRESS TYPES section generated from the address registry), and the
// resolution of the parsed flags into a PipeConfig.
#pragma once

#include <cstddef>
#include <string>

#include "core/error.h"
#include "tools/common/client_flags.h"
#include "tools/common/connect_flags.h"
#include "tools/common/tool.h"
#include "tools/hyco-pipe/config.h"

namespace hyco::pipe {

struct PipeFlags {
    std::string address1;
    std::string address2;
    bool unidirectional = false;  ///< -u
    bool reverse = false;         ///< -U
    std::string linger;           ///< -t DURATION
    std::string idle;             ///< -T DURATION
    std::string http_timeout = "65s";
    std::size_t max_connections = 64;
    bool once = false;
    cli::DumpFlags dump;  ///< -X, --textdump
    bool json = false;
    cli::ConnectFlags conn;
    cli::ClientFlags client;  ///< TLS, -H, timeouts, pings, -v
    cli::KeepaliveFlags keepalive;  ///< relay-listen's control channel

    void declare(cli::Tool& tool);
    Result<PipeConfig> resolve() const;
};

cli::ToolInfo tool_info();

}  // namespace hyco::pipe
