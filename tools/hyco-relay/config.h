// hyco-relay's configuration: plain options as parsed from the command line,
// and their resolution into an immutable Config (rules with keys, declared
// entities, durations) — the only thing the relay core sees.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.h"
#include "core/auth/relay_uri.h"

namespace hyco::relay {

/// Rights of a shared-access rule (Manage implies Listen and Send).
enum Rights : unsigned { kListen = 1, kSend = 2, kManage = 4 };
/// What a management read needs: any one of the three rights.
inline constexpr unsigned kAnyRight = kListen | kSend | kManage;

struct Rule {
    std::string name;
    std::string key;
    unsigned rights = 0;
    bool generated = false;  ///< the key was generated: print it, it exists nowhere else

    bool allows(unsigned needed) const {
        if (needed == kAnyRight) return rights != 0;
        return (rights & kManage) || (rights & needed) == needed;
    }
};

struct EntityDecl {
    std::string path;
    bool anonymous_senders = false;  ///< "RequiresClientAuthorization: false"
};

/// What the command line gives, as text.
struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string namespace_name;
    std::vector<std::string> rules;      ///< NAME[:KEY]:RIGHTS
    std::vector<std::string> entities;   ///< PATH or PATH:anonymous
    std::string config_file;
    bool declared_only = false;
    bool tls = false;
    std::string cert_file;
    std::string key_file;
    std::string rendezvous_timeout = "30s";
    std::string http_timeout = "60s";
    std::string token_grace = "5m";
    std::string idle_timeout = "0";
    int max_listeners = 25;
    int max_connections = 0;  ///< 0: derived from RLIMIT_NOFILE
    bool status_public = false;
    bool verbose = false;
};

struct Config {
    std::string bind_host;
    std::uint16_t port = 0;
    Namespace ns;                 ///< the namespace clients address (host, tls)
    std::vector<Rule> rules;
    std::vector<EntityDecl> entities;
    bool declared_only = false;
    std::string cert_file, key_file;  ///< empty with tls: generate a self-signed pair
    std::chrono::milliseconds rendezvous_timeout{30000};
    std::chrono::milliseconds http_timeout{60000};
    std::chrono::milliseconds token_grace{300000};
    /// Close a control channel that sent no frame for this long (0: never),
    /// to check that listeners keep their channels alive.
    std::chrono::milliseconds idle_timeout{0};
    int max_listeners = 25;
    /// Open connections served; beyond it new ones get 503 (see Relay).
    int max_connections = 0;
    /// Connections beyond max_connections still accepted to be answered 503;
    /// past them new sockets are closed at once. Both together stay below
    /// the descriptor limit, so lws never meets EMFILE (on which 4.1.6
    /// retries accept() in a busy loop).
    int overload_answers = 0;
    /// The soft RLIMIT_NOFILE the relay runs with: the one it was given, or
    /// more when --max-connections needs it (never above the hard limit).
    long descriptor_limit = 0;
    /// GET /$relay/status without a Manage token.
    bool status_public = false;
    bool verbose = false;

    const Rule* rule(std::string_view name) const;
    /// The rule printed in the banner: the first with Manage, else the first.
    const Rule& banner_rule() const;
    /// The banner: a connection string for the banner rule on `port`.
    std::string connection_string(std::uint16_t bound_port) const;
    /// A connection string for `rule` on `port`.
    std::string connection_string(std::uint16_t bound_port, const Rule& rule) const;
    /// The stdout lines: the banner rule's connection string first, then one
    /// for every other rule whose key was generated (else it would be
    /// unusable: its key exists nowhere else).
    std::vector<std::string> banner_lines(std::uint16_t bound_port) const;
};

/// Parses "listen,send", "Listen+Send", "manage".
Result<unsigned> parse_rights(std::string_view text);
/// Parses NAME:RIGHTS or NAME:KEY:RIGHTS; an empty or absent key is generated.
Result<Rule> parse_rule(std::string_view spec);
/// Parses PATH or PATH:anonymous.
Result<EntityDecl> parse_entity(std::string_view spec);
/// Reads the JSON config file: {"rules":[{"name","key","rights"}],
/// "entities":[{"path","requiresClientAuthorization"}], "declaredOnly":bool}.
Status load_config_file(const std::string& path, Config& config);
/// The same from the file's text; `path` names it in errors.
Status parse_config_text(std::string_view json, const std::string& path, Config& config);
/// A fresh key like the portal's: base64 of 32 random bytes.
std::string generate_key();

/// Descriptors kept free for lws and the relay itself (listen socket,
/// signalfd, lws's own pipes, stdio).
inline constexpr int kOwnDescriptors = 32;
/// At most this many connections beyond --max-connections are answered 503.
inline constexpr int kOverloadAnswers = 32;
/// What the default --max-connections leaves free of the descriptor limit.
inline constexpr int kDescriptorHeadroom = kOwnDescriptors + kOverloadAnswers;
/// The smallest descriptor limit the relay starts with.
inline constexpr int kMinDescriptors = kOwnDescriptors + 8;
/// The default --max-connections, whatever the descriptor limit: lws's
/// descriptor table is sized by what the relay may hold, and Debian's lws
/// scans it at every close (see LoopOptions::descriptor_table).
inline constexpr int kDefaultMaxConnections = 4096;
/// The most --max-connections may be.
inline constexpr int kMaxConnectionsCeiling = 1000000;
/// --max-connections by default for a descriptor limit (RLIMIT_NOFILE soft
/// limit): what it leaves after the headroom, at most kDefaultMaxConnections.
int default_max_connections(long nofile);

Result<Config> resolve(const Options& options);

}  // namespace hyco::relay
