// Control-channel JSON: what the service sends, what listeners answer, and
// the malformed messages a peer might send.
#include <doctest/doctest.h>

#include "core/relay/control_message.h"

using namespace hyco;

TEST_CASE("an accept captured from the live service parses, escaped slashes and all") {
    auto m = control::parse(
        R"({"accept":{"address":"wss:\/\/g17-prod-by3-010-sb.servicebus.windows.net\/$hc\/yesclientauth?sb-hc-action=accept&sb-hc-id=ca49_G17_G30","id":"ca49_G17_G30","connectHeaders":{"Sec-WebSocket-Key":"k==","Sec-WebSocket-Version":"13","Connection":"Upgrade","Upgrade":"websocket","Host":"x.servicebus.windows.net:443"},"remoteEndpoint":{"address":"203.0.113.7","port":51234},"future":1}})");
    REQUIRE(m.ok());
    auto& a = std::get<control::Accept>(*m);
    CHECK(a.address == "wss://g17-prod-by3-010-sb.servicebus.windows.net/$hc/yesclientauth?sb-hc-action=accept&sb-hc-id=ca49_G17_G30");
    CHECK(a.remote.port == 51234);
    REQUIRE(control::find_header(a.connect_headers, "sec-websocket-key") != nullptr);
    CHECK(*control::find_header(a.connect_headers, "SEC-WEBSOCKET-KEY") == "k==");
}

TEST_CASE("request: full form and rendezvous pointer") {
    auto full = control::parse(
        R"({"request":{"address":"wss://g/$hc/p?sb-hc-action=request&sb-hc-id=1","id":"1","requestTarget":"/p/x?a=1","method":"POST","remoteEndpoint":{"address":"::1","port":1},"requestHeaders":{"Content-Type":"text/plain"},"body":true}})");
    REQUIRE(full.ok());
    auto& q = std::get<control::Request>(*full);
    CHECK_FALSE(q.is_pointer());
    CHECK(q.body);
    CHECK(q.method == "POST");
    auto ptr = control::parse(R"({"request":{"address":"wss://g/$hc/p?sb-hc-action=request&sb-hc-id=2","id":"2"}})");
    REQUIRE(ptr.ok());
    CHECK(std::get<control::Request>(*ptr).is_pointer());
    // Serializing the pointer form must omit method and body (clients key on either).
    std::string s = control::serialize(*ptr);
    CHECK(s.find("method") == std::string::npos);
    CHECK(s.find("body") == std::string::npos);
}

TEST_CASE("response: numeric or string status, round trip keeps field order") {
    auto r = control::parse(R"({"response":{"requestId":"1","statusCode":"404","statusDescription":"Nope","body":false}})");
    REQUIRE(r.ok());
    CHECK(std::get<control::Response>(*r).status_code == 404);
    control::Response out{"7", 201, "Created", {{"Content-Type", "text/plain"}}, true};
    CHECK(control::serialize(out) ==
          R"({"response":{"requestId":"7","statusCode":201,"statusDescription":"Created","responseHeaders":{"Content-Type":"text/plain"},"body":true}})");
    auto back = control::parse(control::serialize(out));
    REQUIRE(back.ok());
    CHECK(std::get<control::Response>(*back).response_headers.size() == 1);
}

TEST_CASE("renewToken round trip") {
    control::Message m = control::RenewToken{"SharedAccessSignature sr=a&sig=b&se=1&skn=c"};
    auto back = control::parse(control::serialize(m));
    REQUIRE(back.ok());
    CHECK(std::get<control::RenewToken>(*back).token == "SharedAccessSignature sr=a&sig=b&se=1&skn=c");
    CHECK(control::command_name(*back) == "renewToken");
}

TEST_CASE("malformed control messages are errors, not crashes") {
    struct Case {
        std::string json;
        const char* says;
    };
    Case cases[] = {
        {"", "not valid JSON"},
        {"{", "not valid JSON"},
        {"[]", "exactly one command"},
        {"{}", "exactly one command"},
        {R"({"accept":{},"request":{}})", "exactly one command"},
        {R"({"hello":{}})", "unknown command"},
        {R"({"accept":1})", "must be an object"},
        {R"({"accept":{"id":"x"}})", "no 'address'"},
        {R"({"accept":{"address":5}})", "must be a string"},
        {R"({"accept":{"address":"a","connectHeaders":{"Host":1}}})", "must be a string"},
        {R"({"accept":{"address":"a","remoteEndpoint":{"port":70000}}})", "0 to 65535"},
        {R"({"request":{"address":"a","body":"yes"}})", "true or false"},
        {R"({"request":{"address":"a","body":true}})", "no 'method'"},
        {R"({"response":{"requestId":"1"}})", "statusCode"},
        {R"({"response":{"requestId":"1","statusCode":"abc"}})", "100 to 999"},
        {R"({"response":{"requestId":"1","statusCode":42}})", "100 to 999"},
        {R"({"renewToken":{}})", "no 'token'"},
        {"{\"accept\":{\"address\":\"\xff\"}}", "not valid JSON"},
        {std::string(70000, ' '), "larger than"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.json.substr(0, 80));
        auto r = control::parse(c.json);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().why.find(c.says) != std::string::npos);
    }
    // Deep nesting within the size limit must not blow the stack.
    std::string deep = R"({"accept":{"address":"a","x":)" + std::string(30000, '[') + std::string(30000, ']') + "}}";
    CHECK(control::parse(deep).ok());
}
