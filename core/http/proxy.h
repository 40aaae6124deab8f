// HTTP CONNECT proxies for every client connection to a relay (control
// channels, senders, rendezvous, HTTP): which proxy a target goes through
// (the --proxy flag, else curl's environment variables, minus NO_PROXY),
// the CONNECT request and the verdict on the proxy's answer. Pure: no
// sockets here; WsClient drives the tunnel (ws_client.cpp).
//
// Use (e.g. a tool that opens its own connections):
//   auto cfg = resolve_proxy_config(ProxySources::from_environment());
//   if (auto p = cfg->route(host, tls)) { connect to p->host:p->port,
//       send connect_request(*p, host, port), read the answer head,
//       check_connect_answer(head, *p, host, port) }
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/error.h"
#include "core/http/http_response_head.h"

namespace hyco {

/// An HTTP proxy and the credentials it is given, if any.
struct ProxyServer {
    std::string host;        ///< name or literal; IPv6 without brackets
    std::uint16_t port = 1080;  ///< curl's default for a proxy without a port
    std::string user;        ///< empty: no Proxy-Authorization header
    std::string password;

    /// `host:port` (`[v6]:port`): for messages; never the credentials.
    std::string label() const;
};

/// Parses `http://[user[:password]@]host[:port][/]` or `host[:port]` (as
/// curl does, a URL without a scheme is an http:// proxy). user and password
/// are percent-decoded. Other schemes (https://, socks5://) are refused.
/// Errors: Exit::usage; the message never contains the password.
Result<ProxyServer> parse_proxy_url(std::string_view url);

/// Splits `user:password` (a --proxy-user-file line, HYCO_PROXY_USER); the
/// password may contain ':'. Errors: Exit::usage.
Result<std::pair<std::string, std::string>> parse_proxy_user(std::string_view text);

/// True when `host` is exempt from proxying by a NO_PROXY list, as curl
/// reads it: entries separated by commas or spaces; `*` matches every host;
/// a name matches itself and its subdomains (a leading dot is ignored:
/// `example.com` and `.example.com` both match `a.example.com`); an IP
/// address or CIDR range (`10.0.0.0/8`, `::1`, `[::1]`) matches IP literals.
/// Names are never resolved. Case-insensitive; a trailing dot is ignored.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

/// Where proxy settings come from, before they are checked.
struct ProxySources {
    std::optional<std::string> flag;  ///< --proxy URL; "" means no proxy at all
    std::string https_proxy;          ///< https_proxy, else HTTPS_PROXY (wss:// targets)
    std::string http_proxy;           ///< http_proxy, else HTTP_PROXY (ws:// targets)
    std::string all_proxy;            ///< all_proxy, else ALL_PROXY (either)
    std::string no_proxy;             ///< no_proxy, else NO_PROXY
    std::string https_var, http_var, all_var;  ///< the variable each came from, for errors
    std::optional<std::string> user;  ///< user:password overriding the URL's (file or HYCO_PROXY_USER)

    /// Reads the variables above (lower case first, as curl does);
    /// `getenv` is replaceable for tests.
    static ProxySources from_environment(const std::function<const char*(const char*)>& getenv = {});
};

/// Checked proxy settings, resolved per target by route().
struct ProxyConfig {
    std::optional<ProxyServer> tls;    ///< for wss:// (and https://) targets
    std::optional<ProxyServer> plain;  ///< for ws:// targets
    std::string no_proxy;

    /// The proxy a connection to `host` goes through, or nullopt: directly.
    std::optional<ProxyServer> route(std::string_view host, bool tls_target) const;
    /// " via proxy HOST:PORT" for a verbose line about `host`, or "".
    std::string via(std::string_view host, bool tls_target) const;
};

/// Checks the sources: the flag wins over the environment for both kinds of
/// target, and `user` replaces a URL's credentials. Errors: Exit::usage,
/// naming the flag or variable.
Result<ProxyConfig> resolve_proxy_config(const ProxySources& sources);

/// The CONNECT request (with Host and, given credentials, Proxy-Authorization:
/// Basic) that opens a tunnel to host:port. Secret: never log it.
std::string connect_request(const ProxyServer& proxy, std::string_view host, std::uint16_t port);

/// The verdict on the proxy's answer to CONNECT: 2xx opens the tunnel; 407
/// (or 401) is Exit::auth; anything else says what the proxy refused with its status.
Status check_connect_answer(const HttpResponseHead& head, const ProxyServer& proxy, std::string_view host,
                            std::uint16_t port);

}  // namespace hyco
