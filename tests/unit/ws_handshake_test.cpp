// Tests of the client handshake: the request we send and the checks on the
// server's 101 answer.
#include <doctest/doctest.h>

#include "core/ws/ws_client.h"
#include "core/ws/ws_frame.h"
#include "core/ws/ws_handshake.h"

using namespace hyco;

namespace {

HttpResponseHead answer(std::string_view extra, std::string_view key) {
    std::string h = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                    "Sec-WebSocket-Accept: " +
                    ws::accept_key(key) + "\r\n" + std::string(extra) + "\r\n";
    auto r = parse_response_head(h);
    REQUIRE(r.state == ResponseHeadResult::State::complete);
    return r.head;
}

}  // namespace

TEST_CASE("the upgrade request") {
    WsTarget t;
    t.tls = false;
    t.host = "relay.example";
    t.port = 8080;
    t.path = "/$hc/x?sb-hc-action=connect";
    t.headers = {{"ServiceBusAuthorization", "SharedAccessSignature sr=a"}};
    t.subprotocols = {"chat", "v2"};
    std::string key = new_websocket_key();
    CHECK(key.size() == 24);
    CHECK(key != new_websocket_key());
    std::string r = upgrade_request(t, key);
    CHECK(r.rfind("GET /$hc/x?sb-hc-action=connect HTTP/1.1\r\nHost: relay.example:8080\r\n", 0) == 0);
    CHECK(r.find("\r\nSec-WebSocket-Key: " + key + "\r\n") != std::string::npos);
    CHECK(r.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
    CHECK(r.find("\r\nSec-WebSocket-Protocol: chat, v2\r\n") != std::string::npos);
    CHECK(r.find("\r\nServiceBusAuthorization: SharedAccessSignature sr=a\r\n") != std::string::npos);
    CHECK(r.size() >= 4);
    CHECK(r.substr(r.size() - 4) == "\r\n\r\n");
    t.tls = true;
    t.port = 443;
    t.host = "::1";
    CHECK(upgrade_request(t, key).find("\r\nHost: [::1]\r\n") != std::string::npos);
}

TEST_CASE("a good 101 answer, with and without a subprotocol") {
    std::string key = new_websocket_key();
    auto a = check_upgrade(answer("", key), key, {"chat"});
    CHECK(a.ok);
    CHECK(a.subprotocol.empty());
    a = check_upgrade(answer("Sec-WebSocket-Protocol: chat\r\n", key), key, {"v1", "chat"});
    CHECK(a.ok);
    CHECK(a.subprotocol == "chat");
}

TEST_CASE("bad 101 answers are refused") {
    std::string key = new_websocket_key();
    CHECK(!check_upgrade(answer("", "another key"), key, {}).ok);
    CHECK(!check_upgrade(answer("Sec-WebSocket-Protocol: chat\r\n", key), key, {}).ok);
    CHECK(!check_upgrade(answer("Sec-WebSocket-Protocol: mqtt\r\n", key), key, {"chat"}).ok);
    CHECK(!check_upgrade(answer("Sec-WebSocket-Extensions: permessage-deflate\r\n", key), key, {}).ok);
    auto r = parse_response_head("HTTP/1.1 101 x\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                                 ws::accept_key(key) + "\r\n\r\n");
    auto a = check_upgrade(r.head, key, {});
    CHECK(!a.ok);
    CHECK(a.error.find("websocket") != std::string::npos);
    r = parse_response_head("HTTP/1.1 101 x\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " +
                            ws::accept_key(key) + "\r\n\r\n");
    CHECK(!check_upgrade(r.head, key, {}).ok);
}

TEST_CASE("a refusal's explaining headers are kept, lower-cased") {
    auto r = parse_response_head("HTTP/1.1 403 Forbidden\r\nX-MS-Error: quota\r\nServer: x\r\nTrackingId: t1\r\n\r\n");
    auto h = failure_headers(r.head);
    REQUIRE(h.size() == 2);
    CHECK(h[0] == std::pair<std::string, std::string>("x-ms-error", "quota"));
    CHECK(h[1] == std::pair<std::string, std::string>("trackingid", "t1"));
}
