// Tests of --source-address: the literal forms accepted, what is refused
// (names, ports, garbage) with the option named, and binding a socket of
// the other family failing with a reason instead of an errno.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <unistd.h>

#include "core/io/source_address.h"

using namespace hyco;

namespace {

/// Binds a new IPv4 TCP socket to `source`; its local address in `local`.
Status bind_v4(const SourceAddress& source, sockaddr_in& local) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    Status st = bind_source(fd, AF_INET, source);
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    ::close(fd);
    return st;
}

}  // namespace

TEST_CASE("source addresses: IPv4, IPv6 and bracketed IPv6 literals") {
    auto v4 = parse_source_address("127.0.0.2", "--source-address");
    REQUIRE(v4);
    CHECK(v4->family == AF_INET);
    CHECK(v4->len == sizeof(sockaddr_in));
    CHECK(reinterpret_cast<const sockaddr_in*>(&v4->addr)->sin_port == 0);
    CHECK(v4->text == "127.0.0.2");
    auto v6 = parse_source_address("::1", "--source-address");
    REQUIRE(v6);
    CHECK(v6->family == AF_INET6);
    auto b6 = parse_source_address("[2001:db8::7]", "--source-address");
    REQUIRE(b6);
    CHECK(b6->family == AF_INET6);
    CHECK(b6->text == "[2001:db8::7]");
}

TEST_CASE("source addresses: names, ports and junk are usage errors naming the option") {
    for (const char* bad : {"", "localhost", "127.0.0.1:80", "[::1]:80", "300.1.1.1", "[127.0.0.1]", "1.2.3", "::1]"}) {
        std::string text = bad;
        CAPTURE(text);
        auto r = parse_source_address(bad, "--source-address");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Exit::usage);
        CHECK(r.error().what.find("--source-address") == 0);
    }
}

TEST_CASE("source addresses: the other family is refused before bind()") {
    auto v6 = parse_source_address("::1", "--source-address");
    REQUIRE(v6);
    sockaddr_in local{};
    Status st = bind_v4(*v6, local);
    REQUIRE_FALSE(st);
    CHECK(st.error().why == "it is IPv6 and the destination is IPv4");
}

TEST_CASE("source addresses: a loopback address binds, leaving the port to connect()") {
    auto v4 = parse_source_address("127.0.0.2", "--source-address");
    REQUIRE(v4);
    sockaddr_in local{};
    REQUIRE(bind_v4(*v4, local));
    CHECK(local.sin_addr.s_addr == htonl(0x7f000002));
    CHECK(local.sin_port == 0);
}
