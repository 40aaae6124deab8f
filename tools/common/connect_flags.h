// The options every relay-facing tool shares: where the relay is and how to
// authenticate. Declared once here so help, man pages and completions agree.
#pragma once

#include <string>

#include "core/auth/credentials.h"
#include "core/base/error.h"
#include "tools/common/tool.h"

namespace hyco::cli {

struct ConnectFlags {
    std::string connection_string;
    std::string ns;
    std::string path;
    std::string key_name;
    std::string key_file;
    std::string token;
    std::string token_file;
    bool emulator = false;

    /// Declares the options on `app` (a tool or one of its subcommands).
    /// `tokens`: also offer --token/--token-file.
    void declare(Tool& tool, CLI::App& app, bool tokens);

    /// Resolves flags, environment (HYCO_CONNECTION_STRING, HYCO_KEY,
    /// HYCO_TOKEN) and files into a target. `need_entity`: a path is required.
    Result<RelayTarget> resolve(bool need_entity) const;
};

/// Prose for the ENVIRONMENT section of tools that use ConnectFlags;
/// `network`: the tool connects to the relay (the proxy variables apply).
Section environment_section(bool network = true);

}  // namespace hyco::cli
