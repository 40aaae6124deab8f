// The four hyco-token subcommands, as functions of plain option structs.
#pragma once

#include <string>

#include "core/base/error.h"
#include "tools/common/connect_flags.h"

namespace hyco::token_tool {

struct CreateOptions {
    cli::ConnectFlags conn;
    std::string ttl = "1h";
    std::string expiry;        ///< absolute epoch seconds; overrides ttl
    std::string resource;      ///< sign exactly this URI
    bool namespace_wide = false;
};

struct DecodeOptions {
    std::string token;         ///< text, or "-"/empty for stdin
    bool json = false;
};

struct VerifyOptions {
    cli::ConnectFlags conn;
    std::string token;
    std::string uri;           ///< target URI instead of namespace + path
    bool quiet = false;
};

struct UriOptions {
    cli::ConnectFlags conn;
    std::string kind = "connect";
    std::string id;
    std::string suffix;
    bool with_token = false;
    std::string ttl = "1h";
};

Status create(const CreateOptions& o);
Status decode(const DecodeOptions& o);
Status verify(const VerifyOptions& o);
Status uri(const UriOptions& o);

}  // namespace hyco::token_tool
