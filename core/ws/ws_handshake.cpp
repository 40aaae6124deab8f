// Opening handshake, client side (see ws_handshake.h).
#include "core/ws/ws_handshake.h"

#include "core/auth/crypto.h"
#include "core/base/text.h"
#include "core/base/uri.h"
#include "core/ws/ws_frame.h"

namespace hyco {
namespace {

constexpr const char* kFailureHeaders[] = {"x-ms-error", "hyco-error", "hyco-rejected-by", "x-hyco-rejected",
                                           "trackingid"};

}  // namespace

std::string WsTarget::url() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    std::string out = (tls ? "wss://" : "ws://") + h;
    if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
    return out + path;
}

Result<WsTarget> parse_ws_url(std::string_view url) {
    auto u = parse_uri(url);
    if (!u) return u.error();
    WsTarget t;
    if (u->scheme == "wss" || u->scheme == "https") t.tls = true;
    else if (u->scheme == "ws" || u->scheme == "http") t.tls = false;
    else return make_error(Exit::failure, "invalid address", "unsupported scheme " + u->scheme);
    t.host = u->host;
    t.port = u->port.value_or(t.tls ? 443 : 80);
    t.path = u->path.empty() ? "/" : u->path;
    if (!u->query.empty()) t.path += "?" + u->query;
    return t;
}

std::string new_websocket_key() { return text::base64_encode(crypto::random_bytes(16)); }

std::string upgrade_request(const WsTarget& target, std::string_view key) {
    std::string host = target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
    if (target.port != (target.tls ? 443 : 80)) host += ":" + std::to_string(target.port);
    std::string r = "GET " + target.path + " HTTP/1.1\r\nHost: " + host +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + std::string(key) +
                    "\r\nSec-WebSocket-Version: 13\r\n";
    if (!target.subprotocols.empty()) {
        r += "Sec-WebSocket-Protocol: ";
        for (std::size_t i = 0; i < target.subprotocols.size(); ++i)
            r += (i ? ", " : "") + target.subprotocols[i];
        r += "\r\n";
    }
    for (const auto& [name, value] : target.headers) r += name + ": " + value + "\r\n";
    return r + "\r\n";
}

UpgradeAnswer check_upgrade(const HttpResponseHead& head, std::string_view key,
                            const std::vector<std::string>& offered) {
    UpgradeAnswer a;
    if (head.status != 101) {
        a.error = "not a 101 answer";
        return a;
    }
    if (!head.has_token("Upgrade", "websocket")) {
        a.error = "the 101 answer does not upgrade to websocket";
        return a;
    }
    if (!head.has_token("Connection", "upgrade")) {
        a.error = "the 101 answer lacks Connection: Upgrade";
        return a;
    }
    const std::string* accept = head.header("Sec-WebSocket-Accept");
    if (!accept || head.count("Sec-WebSocket-Accept") != 1 || *accept != ws::accept_key(key)) {
        a.error = "wrong or missing Sec-WebSocket-Accept";
        return a;
    }
    if (const std::string* ext = head.header("Sec-WebSocket-Extensions"); ext && !ext->empty()) {
        a.error = "the server chose an extension we did not offer: " + text::printable(*ext);
        return a;
    }
    if (const std::string* proto = head.header("Sec-WebSocket-Protocol")) {
        bool known = false;
        for (const auto& p : offered) known = known || p == *proto;
        if (!known || head.count("Sec-WebSocket-Protocol") != 1) {
            a.error = "the server chose a subprotocol we did not offer: " + text::printable(*proto);
            return a;
        }
        a.subprotocol = *proto;
    }
    a.ok = true;
    return a;
}

std::vector<std::pair<std::string, std::string>> failure_headers(const HttpResponseHead& head) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* name : kFailureHeaders)
        if (const std::string* v = head.header(name)) out.emplace_back(name, *v);
    return out;
}

}  // namespace hyco
