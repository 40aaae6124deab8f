// Unit tests for what a listener derives from an accept message: metadata,
// environment, subprotocol choice, reject URL and hook verdicts.
#include <doctest/doctest.h>

#include "core/relay/accept_info.h"

using namespace hyco;

namespace {

control::Accept sample() {
    control::Accept a;
    a.address = "wss://g1.example.net/$hc/team%20a/sub/dir%20x?x=1&sb-hc-action=accept&sb-hc-id=abc_G1&y=2";
    a.id = "abc_G1";
    a.connect_headers = {{"Host", "ns:443"}, {"Sec-WebSocket-Protocol", "chat.v2, chat.v1"}, {"X-Team", "blue"}};
    a.remote = {"203.0.113.7", 51234};
    return a;
}

std::string env_value(const EnvVars& env, const std::string& name) {
    for (const auto& [k, v] : env)
        if (k == name) return v;
    return "<unset>";
}

}  // namespace

TEST_CASE("connection info: suffix decoded, sb-hc parameters dropped, offers split") {
    ConnectionInfo info = connection_info(sample(), "team a");
    CHECK(info.path_suffix == "sub/dir x");
    CHECK(info.query == "x=1&y=2");
    CHECK(info.remote_address == "203.0.113.7");
    CHECK(info.remote_port == 51234);
    REQUIRE(info.offered_subprotocols.size() == 2);
    CHECK(info.offered_subprotocols[1] == "chat.v1");
}

TEST_CASE("no suffix when the address names just the entity") {
    control::Accept a = sample();
    a.address = "ws://h/$hc/team%20a?sb-hc-action=accept&sb-hc-id=1";
    ConnectionInfo info = connection_info(a, "team a");
    CHECK(info.path_suffix.empty());
    CHECK(info.query.empty());
}

TEST_CASE("environment for hooks and children") {
    ConnectionInfo info = connection_info(sample(), "team a");
    EnvVars env = connection_env(info, "team a", "chat.v1");
    CHECK(env_value(env, "HYCO_PATH") == "sub/dir x");
    CHECK(env_value(env, "HYCO_REMOTE_PORT") == "51234");
    CHECK(env_value(env, "HYCO_SUBPROTOCOL") == "chat.v1");
    CHECK(env_value(env, "HYCO_HEADER_X_TEAM") == "blue");
    CHECK(env_value(env, "HYCO_HEADER_SEC_WEBSOCKET_PROTOCOL") == "chat.v2, chat.v1");
}

TEST_CASE("subprotocol choice") {
    CHECK(choose_subprotocol({}, {"a"}) == "");
    CHECK(choose_subprotocol({"b", "a"}, {}) == "b");          // like .NET and Node: the first offer
    CHECK(choose_subprotocol({"b", "a"}, {"a", "b"}) == "b");  // the sender's preference among ours
    CHECK(choose_subprotocol({"c"}, {"a"}) == std::nullopt);
}

TEST_CASE("reject URL extends the address with encoded status and description") {
    CHECK(reject_url("ws://h/$hc/e?sb-hc-action=accept&sb-hc-id=1", 403, "not on the list") ==
          "ws://h/$hc/e?sb-hc-action=accept&sb-hc-id=1&sb-hc-statusCode=403&sb-hc-statusDescription=not%20on%20the%20list");
}

TEST_CASE("verdicts: STATUS [DESCRIPTION]") {
    auto v = parse_verdict("403 not on the guest list\n");
    REQUIRE(v);
    CHECK(v->status == 403);
    CHECK(v->description == "not on the guest list");
    v = parse_verdict("503");
    REQUIRE(v);
    CHECK(v->description == "Rejected by the listener");
    CHECK(parse_verdict("503: busy")->description == "busy");
    CHECK_FALSE(parse_verdict("200 ok"));
    CHECK_FALSE(parse_verdict("4034 x"));
    CHECK_FALSE(parse_verdict("nope"));
    CHECK_FALSE(parse_verdict(""));
}

TEST_CASE("header names become environment names") {
    CHECK(header_env_name("User-Agent") == "HYCO_HEADER_USER_AGENT");
    CHECK(header_env_name("x.y") == "HYCO_HEADER_X_Y");
}
