// The address parser: every registered type, aliases and case, and a table
// of malformed addresses with the reason each must give.
#include <doctest/doctest.h>

#include "tools/hyco-pipe/address.h"

using namespace hyco;
using namespace hyco::pipe;

TEST_CASE("well-formed addresses") {
    auto a = parse_address("tcp:example.com:5432");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::tcp);
    CHECK(a->host == "example.com");
    CHECK(a->port == 5432);
    CHECK(a->text == "tcp:example.com:5432");

    a = parse_address("TCP-Connect:[::1]:22");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::tcp);
    CHECK(a->host == "::1");

    a = parse_address("tcp-listen:8080");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::tcp_listen);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 8080);
    CHECK(a->listens());

    a = parse_address("tcp-l:0.0.0.0:0");
    REQUIRE(a);
    CHECK(a->host == "0.0.0.0");
    CHECK(a->port == 0);

    a = parse_address("tcp-listen:[::]:9");
    REQUIRE(a);
    CHECK(a->host == "::");

    for (const char* s : {"-", "stdio", "STDIO"}) {
        a = parse_address(s);
        REQUIRE(a);
        CHECK(a->kind == AddressKind::stdio);
    }

    a = parse_address("unix:/tmp/x.sock");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::unix_connect);
    CHECK(a->path == "/tmp/x.sock");
    a = parse_address("unix-listen:rel.sock");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::unix_listen);

    a = parse_address("exec:sort -r | head -n 1");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::exec);
    CHECK(a->argument == "sort -r | head -n 1");

    a = parse_address("relay-listen:db");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::relay_listen);
    CHECK(a->path == "db");
    CHECK(a->is_relay());
    a = parse_address("relay-connect:");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::relay_connect);
    CHECK(a->path.empty());
    a = parse_address("relay-connect");
    REQUIRE(a);
    CHECK(a->path.empty());
    a = parse_address("relay:/team/a b/");
    REQUIRE(a);
    CHECK(a->path == "team/a b");

    a = parse_address("mirror:");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::mirror);
    a = parse_address("mirror");
    REQUIRE(a);

    a = parse_address("literal:hello: world");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::literal);
    CHECK(a->argument == "hello: world");
    a = parse_address("literal:");
    REQUIRE(a);
    CHECK(a->argument.empty());
}

TEST_CASE("malformed addresses are usage errors naming the address") {
    struct Case {
        const char* text;
        const char* why;
    };
    const Case cases[] = {
        {"", "empty address"},
        {"tcp:", "expected HOST:PORT"},
        {"tcp", "expected tcp:HOST:PORT"},
        {"tcp:host", "expected HOST:PORT"},
        {"tcp:host:", "missing port"},
        {"tcp::80", "empty host"},
        {"tcp:host:http", "port 'http' is not a number"},
        {"tcp:host:0", "port 0 is out of range (1-65535)"},
        {"tcp:host:65536", "out of range"},
        {"tcp:host:123456", "is not a number"},
        {"tcp:::1:80", "brackets"},
        {"tcp:[::1:80", "missing ']'"},
        {"tcp:[::1]80", "expected ':PORT'"},
        {"tcp-listen:", "missing port"},
        {"tcp-listen:-1", "is not a number"},
        {"unix:", "missing socket path"},
        {"unix-listen:", "missing socket path"},
        {"exec:", "missing command"},
        {"exec:   ", "missing command"},
        {"relay-listen:a/../b", "relay-listen"},
        {"mirror:x", "takes no argument"},
        {"stdio:x", "takes no argument"},
        {"tpc:host:1", "unknown address type 'tpc'"},
        {"localhost:80", "for a TCP port write tcp:localhost:80"},
        {"bogus", "unknown address type 'bogus'"},
    };
    for (const Case& c : cases) {
        std::string text = c.text;
        CAPTURE(text);
        auto a = parse_address(c.text);
        REQUIRE_FALSE(a);
        CHECK(a.error().code == Exit::usage);
        CHECK(a.error().what == std::string("address '") + c.text + "'");
        CHECK(a.error().message().find(c.why) != std::string::npos);
    }
    std::string long_path = "unix:" + std::string(200, 'x');
    auto a = parse_address(long_path);
    REQUIRE_FALSE(a);
    CHECK(a.error().why.find("longer than") != std::string::npos);
}

TEST_CASE("the registry documents every type once") {
    std::string help = address_types_help();
    for (const AddressType& t : address_types()) {
        CAPTURE(t.name);
        CHECK(help.find(std::string(t.syntax)) != std::string::npos);
        CHECK(address_type(t.kind).name == t.name);
        // Its family gives it a parser and the one constructor its role needs.
        CHECK(static_cast<bool>(t.parse));
        CHECK(static_cast<bool>(t.listen) == t.listens);
        CHECK(static_cast<bool>(t.connect) == !t.listens);
        // Every alias parses to the same kind.
        for (std::string_view alias : t.aliases) {
            if (alias == "-") continue;
            std::string sample = std::string(alias) + ":" +
                                 (t.kind == AddressKind::tcp || t.kind == AddressKind::tcp_listen || t.kind == AddressKind::udp ||
                                          t.kind == AddressKind::udp_listen
                                      ? "h:1"
                                  : t.takes_argument                                               ? "x"
                                                                                                   : "");
            auto a = parse_address(sample);
            REQUIRE(a);
            CHECK(a->kind == t.kind);
        }
    }
}

TEST_CASE("udp addresses and their idle option") {
    auto a = parse_address("udp:127.0.0.1:53");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::udp);
    CHECK(a->port == 53);
    CHECK(a->idle.count() == 0);
    a = parse_address("udp-listen:5353,idle=5s");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::udp_listen);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->idle == std::chrono::seconds(5));
    CHECK(a->listens());
    for (const char* bad : {"udp:127.0.0.1", "udp-listen:5353,idle=0", "udp-listen:5353,idle=x",
                            "udp:h:1,azbridge", "udp-listen:70000"}) {
        CAPTURE(bad);
        auto r = parse_address(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Exit::usage);
    }
}

TEST_CASE("azbridge options on relay addresses") {
    auto a = parse_address("relay-connect:bridge,azbridge=db");
    REQUIRE(a);
    CHECK(a->path == "bridge");
    CHECK(a->azbridge);
    CHECK(a->port_name == "db");
    a = parse_address("relay-connect:bridge,azbridge");
    REQUIRE(a);
    CHECK(a->azbridge);
    CHECK(a->port_name.empty());

    a = parse_address("relay-listen:bridge,azbridge=web,forward=db=tcp:127.0.0.1:5432,forward=dns=udp:127.0.0.1:53,idle=5s");
    REQUIRE(a);
    CHECK(a->port_name == "web");
    REQUIRE(a->forwards.size() == 2);
    CHECK(a->forwards[0].port_name == "db");
    CHECK(a->forwards[0].kind == AddressKind::tcp);
    CHECK(a->forwards[0].port == 5432);
    CHECK(a->forwards[1].port_name == "dns");
    CHECK(a->forwards[1].kind == AddressKind::udp);
    // An option relay-listen does not know belongs to the forward before it.
    CHECK(a->forwards[1].idle == std::chrono::seconds(5));

    for (const char* bad : {"relay-connect:x,azbridge=a:b", "relay-connect:x,azbridge=", "relay-connect:x,bogus",
                            "relay-listen:x,forward=db", "relay-listen:x,forward=db=tcp-listen:1",
                            "relay-listen:x,forward=db=stdio", "relay-connect:x,forward=db=tcp:h:1"}) {
        CAPTURE(bad);
        auto r = parse_address(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Exit::usage);
    }
}
