// azbridge port names: azbridge's defaults (a port number, U for UDP) and
// the startup checks of an address pair in azbridge mode.
#include <doctest/doctest.h>

#include "tools/hyco-pipe/azbridge.h"
#include "tools/hyco-pipe/config.h"
#include "tools/hyco-pipe/checks.h"

using namespace hyco;
using namespace hyco::pipe;

namespace {
Address parsed(const char* text) {
    auto a = parse_address(text);
    REQUIRE(a);
    return *a;
}
}  // namespace

TEST_CASE("azbridge port names default to the port, with U for UDP") {
    Address c = parsed("relay-connect:bridge,azbridge");
    Address tl = parsed("tcp-listen:8888");
    Address ul = parsed("udp-listen:8888");
    CHECK(*azbridge_port_name(c, &tl) == "8888");
    CHECK(*azbridge_port_name(c, &ul) == "8888U");
    Address l = parsed("relay-listen:bridge,azbridge");
    Address t = parsed("tcp:127.0.0.1:5432");
    Address u = parsed("udp:127.0.0.1:53");
    CHECK(*azbridge_port_name(l, &t) == "5432");
    CHECK(*azbridge_port_name(l, &u) == "53U");
    Address named = parsed("relay-connect:bridge,azbridge=db");
    CHECK(*azbridge_port_name(named, &tl) == "db");

    // No port to take a name from: the user must give one.
    Address any = parsed("tcp-listen:0");
    Address ex = parsed("exec:cat");
    CHECK_FALSE(azbridge_port_name(c, &any));
    CHECK_FALSE(azbridge_port_name(c, &ex));
    CHECK_FALSE(azbridge_port_name(l, &ex));
    CHECK(azbridge_port_name(l, &ex).error().code == Exit::usage);
}

TEST_CASE("azbridge address pairs are checked before anything opens") {
    CHECK(check_addresses(parsed("relay-listen:b,azbridge"), parsed("tcp:127.0.0.1:80")));
    CHECK(check_addresses(parsed("relay-listen:b,azbridge=web,forward=db=tcp:127.0.0.1:5432"), parsed("exec:cat")));
    // Two forwards of one name.
    CHECK_FALSE(check_addresses(parsed("relay-listen:b,azbridge,forward=80=tcp:127.0.0.1:81"), parsed("tcp:127.0.0.1:80")));
    // The forward of a relay-listen must connect somewhere.
    CHECK_FALSE(check_addresses(parsed("relay-listen:b,azbridge=x"), parsed("stdio")));
    CHECK_FALSE(check_addresses(parsed("tcp-listen:0"), parsed("relay-connect:b,azbridge")));
    CHECK(check_addresses(parsed("tcp-listen:0"), parsed("relay-connect:b,azbridge=db")));
}
