// Namespaces, entity paths and the relay URIs built from them.
#include <doctest/doctest.h>

#include "core/auth/relay_uri.h"

using namespace hyco;

TEST_CASE("namespace forms") {
    auto a = parse_namespace("contoso");
    REQUIRE(a.ok());
    CHECK(a->host == "contoso.servicebus.windows.net");
    CHECK(a->tls);
    auto b = parse_namespace("sb://Contoso.ServiceBus.Windows.Net/");
    REQUIRE(b.ok());
    CHECK(b->host == "contoso.servicebus.windows.net");
    auto c = parse_namespace("127.0.0.1:9000", true);
    REQUIRE(c.ok());
    CHECK_FALSE(c->tls);
    CHECK(c->effective_port() == 9000);
    auto d = parse_namespace("ws://localhost:81");
    REQUIRE(d.ok());
    CHECK_FALSE(d->tls);
    auto e = parse_namespace("wss://[::1]:8443/");
    REQUIRE(e.ok());
    CHECK(e->host == "::1");
    CHECK(e->authority() == "[::1]:8443");
    for (const char* bad : {"", "ftp://h/", "sb://h/path", "h:0", "h:70000", "bad host", "sb://u@h/", "sb://h/?q=1"}) {
        CAPTURE(bad);
        auto r = parse_namespace(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Exit::usage);
    }
}

TEST_CASE("entity paths are validated and encoded per segment") {
    CHECK(*normalize_entity_path("/hyco/") == "hyco");
    CHECK(*normalize_entity_path("team/a b") == "team/a b");
    CHECK(encode_entity_path("team/a b.c") == "team/a%20b.c");
    CHECK(encode_entity_path("caf\xc3\xa9") == "caf%C3%A9");
    CHECK(encode_entity_path("a?b#c%d") == "a%3Fb%23c%25d");
    for (const char* bad : {"", "/", "a//b", "./a", "a/..", "$hc/x", "a\tb", "\xff"}) {
        CAPTURE(bad);
        auto r = normalize_entity_path(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Exit::usage);
    }
    CHECK_FALSE(normalize_entity_path(std::string(261, 'a')).ok());
}

TEST_CASE("listener, sender and HTTP URIs") {
    auto ns = *parse_namespace("contoso");
    UriParams p;
    p.id = "1234";
    CHECK(relay_endpoint(ns, "hyco", Action::listen, p).url() ==
          "wss://contoso.servicebus.windows.net/$hc/hyco?sb-hc-action=listen&sb-hc-id=1234");
    UriParams q;
    q.suffix = "/sub dir";
    q.query = "x=1";
    q.token = "SharedAccessSignature sr=a&sig=b%2B&se=1&skn=k";
    Endpoint c = relay_endpoint(ns, "my hyco", Action::connect, q);
    CHECK(c.url() ==
          "wss://contoso.servicebus.windows.net/$hc/my%20hyco/sub%20dir?x=1&sb-hc-action=connect&sb-hc-token="
          "SharedAccessSignature%20sr%3Da%26sig%3Db%252B%26se%3D1%26skn%3Dk");
    CHECK(c.host == "contoso.servicebus.windows.net");
    CHECK(c.port == 443);
    CHECK(c.path.rfind("/$hc/my%20hyco/sub%20dir?", 0) == 0);
    CHECK(relay_endpoint(ns, "hyco", Action::http, {}).url() == "https://contoso.servicebus.windows.net/hyco");
    auto emu = *parse_namespace("127.0.0.1:5000", true);
    CHECK(relay_endpoint(emu, "a/b", Action::listen, {}).url() == "ws://127.0.0.1:5000/$hc/a/b?sb-hc-action=listen");
    CHECK(relay_endpoint(emu, "x", Action::http, {}).url() == "http://127.0.0.1:5000/x");
}

TEST_CASE("audience URIs drop the port and end with a slash") {
    auto emu = *parse_namespace("127.0.0.1:5000", true);
    CHECK(audience_uri(emu, "a b") == "http://127.0.0.1/a%20b/");
    CHECK(audience_uri(emu, "") == "http://127.0.0.1/");
}
