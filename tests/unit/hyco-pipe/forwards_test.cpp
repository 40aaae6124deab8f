// The forward list of --config and --forward: word splitting with quotes
// and comments, names, and errors that name the file and line.
#include <doctest/doctest.h>

#include "tools/hyco-pipe/address.h"
#include "tools/hyco-pipe/forwards.h"

using namespace hyco;
using namespace hyco::pipe;

TEST_CASE("words: blanks, quotes and comments") {
    auto w = split_words("  a\t'b c'  \"d \\\" e\"#x  # the rest");
    REQUIRE(w);
    CHECK(*w == std::vector<std::string>{"a", "b c", "d \" e#x"});
    w = split_words("exec:'sh -c \"echo #1\"'");
    REQUIRE(w);
    CHECK(*w == std::vector<std::string>{"exec:sh -c \"echo #1\""});
    CHECK(split_words("# only a comment")->empty());
    CHECK(split_words("")->empty());
    auto bad = split_words("a 'b");
    REQUIRE(!bad);
    CHECK(bad.error().why.find("unterminated ' quote starting at column 3") != std::string::npos);
}

TEST_CASE("a forward line") {
    auto f = parse_forward_line("[db] tcp-listen:5432 relay-connect:db # postgres", "x:1", "1");
    REQUIRE(f);
    CHECK(f->name == "db");
    CHECK(f->address1 == "tcp-listen:5432");
    CHECK(f->address2 == "relay-connect:db");
    f = parse_forward_line("relay-listen:shell 'exec:sh -i'", "x:2", "7");
    REQUIRE(f);
    CHECK(f->name == "7");
    CHECK(f->address2 == "exec:sh -i");
    // An IPv6 host in brackets is an address, not a name.
    f = parse_forward_line("tcp-listen:[::1]:80 tcp:[::1]:8080", "x:3", "1");
    REQUIRE(f);
    CHECK(f->address1 == "tcp-listen:[::1]:80");
    CHECK(parse_forward_line("   ", "x:4", "1")->address1.empty());

    auto e = parse_forward_line("tcp-listen:1 exec:sh -i", "cfg:9", "1");
    REQUIRE(!e);
    CHECK(e.error().code == Exit::usage);
    CHECK(e.error().message().rfind("cfg:9: expected [NAME] ADDRESS1 ADDRESS2, found 3 addresses", 0) == 0);
    e = parse_forward_line("[a b] x y", "cfg:2", "1");
    CHECK(!e);
    e = parse_forward_line("[] x y", "cfg:2", "1");
    CHECK(!e);
    CHECK(!parse_forward_line("[ok] onlyone", "cfg:3", "1"));
}

TEST_CASE("a forward file") {
    auto list = parse_forward_file("# forwards\n[db] tcp-listen:1 tcp:h:2\n\ntcp-listen:3 tcp:h:4\n", "f.conf");
    REQUIRE(list);
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].origin == "f.conf:2");
    CHECK((*list)[1].name == "2");
    CHECK((*list)[1].origin == "f.conf:4");

    auto e = parse_forward_file("[a] x y\n[b] x\n", "f.conf");
    REQUIRE(!e);
    CHECK(e.error().message().rfind("f.conf:2: ", 0) == 0);
    e = parse_forward_file("[a] x y\n[a] z w\n", "f.conf");
    REQUIRE(!e);
    CHECK(e.error().message() == "f.conf:2: the name 'a' is taken by f.conf:1");
    e = parse_forward_file("# nothing\n", "f.conf");
    REQUIRE(!e);
    CHECK(e.error().message() == "f.conf: no forward in the file");
}

TEST_CASE("relay-http is a relay address with an optional path") {
    auto a = parse_address("relay-http:web");
    REQUIRE(a);
    CHECK(a->kind == AddressKind::relay_http);
    CHECK(a->path == "web");
    CHECK(a->is_relay());
    CHECK(!a->listens());
    a = parse_address("relay-http");
    REQUIRE(a);
    CHECK(a->path.empty());
}
