// hyco-pipe's command line: the option table, the prose around it (with
// the ADDRESS TYPES section generated from the address registry), and the
// resolution of the parsed flags into a PipeConfig.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/base/error.h"
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
    std::string config_file;            ///< --config: many forwards, one per line
    std::vector<std::string> forwards;  ///< --forward 'ADDRESS1 ADDRESS2' (repeatable)

    void declare(cli::Tool& tool);
    /// Many forwards (--config or --forward) rather than one ADDRESS1 ADDRESS2.
    bool many() const { return !config_file.empty() || !forwards.empty(); }
    Result<PipeConfig> resolve() const;
    /// Every forward of --config and --forward; errors name the line.
    Result<std::vector<PipeConfig>> resolve_forwards() const;

private:
    Result<PipeConfig> resolve_pair(const std::string& first, const std::string& second) const;
};

cli::ToolInfo tool_info();

}  // namespace hyco::pipe
