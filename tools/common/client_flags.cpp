// Shared client options (see client_flags.h).
#include "tools/common/client_flags.h"


#include <sys/stat.h>
#include <unistd.h>

#include "core/auth/secret.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/http/proxy.h"
#include "tools/common/diag.h"
#include "tools/common/secrets.h"
#include "tools/common/secret_files.h"

namespace hyco::cli {

Result<std::pair<std::string, std::string>> parse_header(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0)
        return make_error(Exit::usage, "invalid header " + text::quote(text), "expected 'Name: value'");
    std::string name(text::trim(std::string_view(text).substr(0, colon)));
    std::string value(text::trim(std::string_view(text).substr(colon + 1)));
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
            return make_error(Exit::usage, "invalid header " + text::quote(text),
                              "a header name has only letters, digits, '-' and '_'");
    if (text::has_control(value))
        return make_error(Exit::usage, "invalid header " + text::quote(text), "the value has control characters");
    if (text::iequals(name, "ServiceBusAuthorization"))
        return make_error(Exit::usage, "invalid header " + text::quote(name),
                          "the token header is set by hyco; use --token or a key");
    return std::make_pair(name, value);
}

Result<std::chrono::milliseconds> parse_duration_option(const std::string& option, const std::string& value) {
    auto d = parse_duration(value);
    if (!d) return make_error(Exit::usage, option, d.error().why);
    return *d;
}

void ClientFlags::declare(Tool& tool, CLI::App& app, const std::string& subprotocol_help) {
    tool.complete(app.add_option("--ca", ca_file,
                                 "Also trust the CA certificates in this PEM FILE (e.g. a private wss:// relay)")
                      ->type_name("FILE")
                      ->group("TLS"),
                  Complete::file);
    app.add_flag("--insecure-skip-tls-verify,--insecure", insecure,
                 "DANGEROUS: accept any certificate and host name; anyone on the path can read and alter the traffic")
        ->group("TLS");
    app.add_option("-H,--header", headers, "Add a header to the relay handshake: 'Name: value' (repeatable)")
        ->type_name("HEADER")
        ->group("WebSocket");
    app.add_option("--subprotocol", subprotocols, subprotocol_help)->type_name("NAME")->group("WebSocket");
    app.add_option("--connect-timeout", connect_timeout, "Give up when a connection is not open after DURATION")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("WebSocket");
    app.add_option("--ping-interval", ping_interval,
                   "Send a WebSocket ping every DURATION on data connections to detect a dead peer (default: off)")
        ->type_name("DURATION")
        ->group("WebSocket");
    app.add_option("--ping-timeout", ping_timeout, "Drop a connection whose ping is not answered within DURATION")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("WebSocket");
    proxy_option_ = tool.secret(
        app.add_option("--proxy", proxy,
                       "Reach the relay through this HTTP proxy (CONNECT): http://[USER:PASSWORD@]HOST[:PORT] "
                       "(port 1080 by default); overrides HTTPS_PROXY, HTTP_PROXY and ALL_PROXY; '' for none")
            ->type_name("URL")
            ->group("Proxy"),
        false);
    tool.complete(app.add_option("--proxy-user-file", proxy_user_file,
                                 "Read the proxy's USER:PASSWORD from FILE (or set HYCO_PROXY_USER) so it stays "
                                 "out of ps")
                      ->type_name("FILE")
                      ->group("Proxy"),
                  Complete::file);
    app.add_option("--source-address", source_address,
                   "Connect to the relay (or the proxy) from ADDR, an IPv4 or IPv6 address of this host, as ssh -b "
                   "and socat's bind= do: it picks the interface on a host with several")
        ->type_name("ADDR")
        ->group("Connection");
    app.add_flag("-v,--verbose", verbose, "Report connection events on stderr (tokens redacted); repeat for more");
}

namespace {

Result<ProxyConfig> resolve_proxy(const CLI::Option* proxy_option, const std::string& proxy,
                                  const std::string& user_file) {
    ProxySources sources = ProxySources::from_environment();
    if (proxy_option && proxy_option->count() > 0) sources.flag = proxy;
    if (!user_file.empty()) {
        auto user = read_secret_file(user_file, "the proxy credentials");
        if (!user) return user.error();
        warn_if_exposed(user_file, "proxy credentials file");
        sources.user = *user;
    }
    auto config = resolve_proxy_config(sources);
    if (!config) {
        Error e = config.error();
        if (sources.user && e.what == "proxy credentials")
            e.what = user_file.empty() ? "HYCO_PROXY_USER" : "--proxy-user-file " + text::quote(user_file);
        return e;
    }
    return config;
}

}  // namespace

Result<ClientOptions> ClientFlags::resolve() const {
    ClientOptions o;
    o.tls.ca_file = ca_file;
    o.tls.insecure = insecure;
    if (!ca_file.empty() && access(ca_file.c_str(), R_OK) != 0)
        return make_error(Exit::usage, "--ca " + text::quote(ca_file), "cannot read the file");
    if (insecure)
        diag::warning("--insecure-skip-tls-verify: TLS certificates are NOT verified; "
                      "the connection can be intercepted");
    for (const std::string& h : headers) {
        auto p = parse_header(h);
        if (!p) return p.error();
        o.headers.push_back(*p);
    }
    for (const std::string& s : subprotocols) {
        if (s.empty() || s.find_first_of(", \t") != std::string::npos)
            return make_error(Exit::usage, "--subprotocol " + text::quote(s), "a subprotocol is one token");
        o.subprotocols.push_back(s);
    }
    auto ct = parse_duration_option("--connect-timeout", connect_timeout);
    if (!ct) return ct.error();
    o.timeouts.connect = *ct;
    if (!ping_interval.empty()) {
        auto pi = parse_duration_option("--ping-interval", ping_interval);
        if (!pi) return pi.error();
        o.timeouts.ping_interval = *pi;
    }
    auto pt = parse_duration_option("--ping-timeout", ping_timeout);
    if (!pt) return pt.error();
    o.timeouts.ping_timeout = *pt;
    auto proxy_config = resolve_proxy(proxy_option_, proxy, proxy_user_file);
    if (!proxy_config) return proxy_config.error();
    o.proxy = std::move(*proxy_config);
    if (!source_address.empty()) {
        auto source = parse_source_address(source_address, "--source-address");
        if (!source) return source.error();
        o.source = std::move(*source);
    }
    o.verbose = verbose;
    return o;
}

void KeepaliveFlags::declare(Tool& tool, CLI::App& app) {
    app.add_option("--keepalive", interval, "Send a keep-alive frame on the listener's control channel every DURATION")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("Control channel");
    tool.choices(app.add_option("--keepalive-frame", frame,
                                "ping: a Ping, answered within --ping-timeout or the channel is re-established; "
                                "pong: an unsolicited Pong, as Microsoft's .NET and node listeners send, "
                                "which needs no answer and detects nothing")
                     ->type_name("FRAME")
                     ->capture_default_str()
                     ->group("Control channel"),
                 {"ping", "pong"});
}

Result<Keepalive> KeepaliveFlags::resolve() const {
    Keepalive k;
    auto every = parse_duration_option("--keepalive", interval);
    if (!every) return every.error();
    if (every->count() < 1000) return make_error(Exit::usage, "--keepalive " + interval, "must be at least 1s");
    k.interval = *every;
    k.frame = frame == "pong" ? KeepaliveFrame::pong : KeepaliveFrame::ping;
    return k;
}

void DataFlags::declare(CLI::App& app) {
    auto* b = app.add_flag("-b,--binary", binary,
                           "Binary mode: input goes out as binary messages as it is read; payloads are written raw")
                  ->group("Data");
    auto* z = app.add_flag("-0,--nul", nul,
                           "NUL mode: a NUL byte ends each message, and one is written after each received message")
                  ->group("Data");
    b->excludes(z);
    auto* p = app.add_flag("--progress", progress, "Show transfer progress on stderr even when it is not a terminal")
                  ->group("Data");
    auto* np = app.add_flag("--no-progress", no_progress, "Never show transfer progress")->group("Data");
    p->excludes(np);
}

Framing DataFlags::framing() const {
    if (binary) return Framing::binary;
    if (nul) return Framing::nul;
    return Framing::text;
}

bool DataFlags::show_progress() const {
    if (no_progress) return false;
    // curl's rule: never draw over data going to the same terminal.
    struct stat out, err;
    if (isatty(1) == 1 && isatty(2) == 1 && fstat(1, &out) == 0 && fstat(2, &err) == 0 && out.st_rdev == err.st_rdev)
        return false;
    if (progress) return true;
    // A transfer (input or output not a terminal) watched from a terminal.
    return isatty(2) == 1 && (isatty(0) != 1 || isatty(1) != 1);
}

}  // namespace hyco::cli
