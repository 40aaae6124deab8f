// Tests of the relay's pure logic: rule and entity options, token checks
// with their statuses, entity matching and listener choice, and the header
// and target rewriting of the HTTP gateway.
#include <sys/resource.h>

#include <doctest/doctest.h>

#include <set>

#include "core/auth/sas.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/config.h"
#include "tools/hyco-relay/http_headers.h"
#include "tools/hyco-relay/registry.h"

using namespace hyco;
using namespace hyco::relay;

namespace {

Config config_with_rules() {
    Options o;
    o.rules = {"root:RootKey0123456789:manage", "sender:SendKey0123456789:send", "lis:ListenKey0123456789:listen"};
    auto c = resolve(o);
    REQUIRE(c.ok());
    return *c;
}

const std::int64_t kNow = 1'800'000'000;

}  // namespace

TEST_CASE("rule specs") {
    auto r = parse_rule("app:secret-key:listen,send");
    REQUIRE(r.ok());
    CHECK(r->name == "app");
    CHECK(r->key == "secret-key");
    CHECK(r->allows(kListen));
    CHECK(r->allows(kSend));
    auto g = parse_rule("gen:manage");
    REQUIRE(g.ok());
    CHECK(g->key.size() == 44);  // base64 of 32 bytes
    CHECK(g->allows(kListen | kSend));
    CHECK(parse_rule("gen::Send+Listen")->rights == (kSend | kListen));
    CHECK(parse_rule("k:a:b:listen")->key == "a:b");  // keys may contain ':'
    CHECK(!parse_rule("nocolon").ok());
    CHECK(!parse_rule("x::fly").ok());
    CHECK(!parse_rule(":k:listen").ok());
    auto bad = parse_rule("x:SECRETKEY:fly");
    REQUIRE(!bad.ok());
    CHECK(bad.error().message().find("SECRETKEY") == std::string::npos);  // keys never echoed
}

TEST_CASE("entity specs and resolution defaults") {
    CHECK(parse_entity("a/b")->path == "a/b");
    CHECK(parse_entity("pub:anonymous")->anonymous_senders);
    CHECK(!parse_entity("x:open").ok());
    CHECK(!parse_entity("a//b").ok());
    auto c = resolve(Options{});
    REQUIRE(c.ok());
    REQUIRE(c->rules.size() == 1);
    CHECK(c->banner_rule().name == "RootManageSharedAccessKey");
    CHECK(c->connection_string(9000).find("Endpoint=sb://127.0.0.1:9000/;SharedAccessKeyName=RootManageSharedAccessKey;"
                                          "SharedAccessKey=") == 0);
    CHECK(c->connection_string(9000).find(";UseDevelopmentEmulator=true") != std::string::npos);
    Options t;
    t.tls = true;
    CHECK(resolve(t)->connection_string(443).find("UseDevelopmentEmulator") == std::string::npos);
    Options d;
    d.declared_only = true;
    CHECK(!resolve(d).ok());
    Options z;
    z.token_grace = "0";
    CHECK(resolve(z)->token_grace.count() == 0);
    z.rendezvous_timeout = "0";
    CHECK(!resolve(z).ok());
}

TEST_CASE("token checks report the status and the failed check") {
    Config c = config_with_rules();
    auto tok = [&](const std::string& res, const std::string& name, const std::string& key, std::int64_t exp) {
        return sas::mint(res, name, key, exp);
    };
    std::string good = tok("http://127.0.0.1:9000/hyco", "root", "RootKey0123456789", kNow + 60);
    CHECK(check_token(c, good, "hyco", "127.0.0.1", kListen, kNow).ok());
    CHECK(check_token(c, good, "hyco/sub", "127.0.0.1", kSend, kNow).ok());
    auto r = check_token(c, good, "other", "127.0.0.1", kListen, kNow);
    CHECK(r.refused->status == 401);
    CHECK(r.refused->reason.rfind("InvalidAudience", 0) == 0);
    r = check_token(c, tok("http://127.0.0.1/hyco", "root", "WrongKey0123456", kNow + 60), "hyco", "127.0.0.1",
                    kListen, kNow);
    CHECK(r.refused->status == 401);
    CHECK(r.refused->reason.rfind("InvalidSignature", 0) == 0);
    r = check_token(c, tok("http://127.0.0.1/hyco", "root", "RootKey0123456789", kNow - 5), "hyco", "127.0.0.1",
                    kListen, kNow);
    CHECK(r.refused->reason == "ExpiredToken: The token expired 5 seconds ago.");
    r = check_token(c, tok("http://127.0.0.1/hyco", "root", "RootKey0123456789", kNow - 1), "hyco", "127.0.0.1",
                    kListen, kNow);
    CHECK(r.refused->reason == "ExpiredToken: The token expired 1 second ago.");
    r = check_token(c, tok("http://127.0.0.1/hyco", "sender", "SendKey0123456789", kNow + 5), "hyco", "127.0.0.1",
                    kListen, kNow);
    CHECK(r.refused->status == 403);
    CHECK(check_token(c, tok("http://127.0.0.1/hyco", "sender", "SendKey0123456789", kNow + 5), "hyco", "127.0.0.1",
                      kSend, kNow)
              .ok());
    // The Host the client dialled is an acceptable audience host too.
    std::string local = tok("http://localhost/hyco", "root", "RootKey0123456789", kNow + 60);
    CHECK(check_token(c, local, "hyco", "localhost", kListen, kNow).ok());
    CHECK(check_token(c, local, "hyco", "127.0.0.1", kListen, kNow).refused->status == 401);
    CHECK(check_token(c, "SharedAccessSignature garbage", "hyco", "", kListen, kNow).refused->reason.rfind("MalformedToken", 0) ==
          0);
    CHECK(authorize(c, {}, "hyco", "", kListen, kNow).refused->reason.rfind("MissingToken", 0) == 0);
    // Any valid candidate wins; otherwise the first failure is reported.
    auto a = authorize(c, {"bad", good}, "hyco", "127.0.0.1", kListen, kNow);
    CHECK(a.ok());
    CHECK(a.rule->name == "root");
    CHECK(host_of("[::1]:8080") == "::1");
    CHECK(host_of("Example.COM:80") == "example.com");
}

TEST_CASE("the audience covers the whole requested URI: entity plus suffix") {
    Config c = config_with_rules();
    auto tok = [&](const std::string& res) { return sas::mint(res, "root", "RootKey0123456789", kNow + 60); };
    // Microsoft's sender sample signs the URL it requests, suffix included.
    std::string deeper = tok("https://127.0.0.1/sub1/deeper");
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow, "/deeper").ok());
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow, "/deeper/more").ok());
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow, "/DEEPER").ok());
    // Whole segments: not the entity alone, a sibling, or a longer name.
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow).refused->status == 401);
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow, "/other").refused->status == 401);
    CHECK(check_token(c, deeper, "sub1", "127.0.0.1", kSend, kNow, "/deeper2").refused->status == 401);
    // An entity token covers any suffix; the namespace root needs a root token.
    CHECK(check_token(c, tok("http://127.0.0.1/sub1/"), "sub1", "127.0.0.1", kSend, kNow, "/a/b").ok());
    auto r = check_token(c, tok("http://127.0.0.1/sub1"), "", "127.0.0.1", kManage, kNow);
    CHECK(r.refused->status == 401);
    CHECK(r.refused->reason.find("the namespace") != std::string::npos);
    CHECK(check_token(c, tok("http://127.0.0.1/"), "", "127.0.0.1", kManage, kNow).ok());
    auto s = check_token(c, sas::mint("http://127.0.0.1/", "sender", "SendKey0123456789", kNow + 60), "", "127.0.0.1",
                         kManage, kNow);
    CHECK(s.refused->status == 403);
    CHECK(s.refused->reason.find("Manage") != std::string::npos);
}

TEST_CASE("entity names are case-insensitive; the first spelling is kept") {
    Options o;
    o.entities = {"Orders/EU"};
    Config c = *resolve(o);
    Registry reg(c);
    std::string suffix;
    REQUIRE(reg.match({"orders", "eu", "x"}, suffix));
    CHECK(reg.match({"ORDERS", "Eu"}, suffix)->path == "Orders/EU");
    CHECK(suffix.empty());
    CHECK(reg.find("orders/eu") == reg.find("ORDERS/EU"));
    Entity* h = reg.create("HYCO");
    CHECK(reg.create("hyco") == h);
    CHECK(reg.find("Hyco")->path == "HYCO");
    reg.add_listener(*h, {5, "l"}, 5);
    reg.remove_listener("hyco", 5);
    CHECK(h->listeners.empty());
}

TEST_CASE("senders waiting on a control channel are found by listener") {
    Config c = config_with_rules();
    Registry reg(c);
    reg.add_accept("a", {10, "e", 1});
    reg.add_accept("b", {11, "e", 2});
    reg.add_accept("c", {12, "e", 1});
    auto w = reg.senders_waiting_on(1);
    CHECK(std::set<std::uint64_t>(w.begin(), w.end()) == std::set<std::uint64_t>{10, 12});
    CHECK(reg.senders_waiting_on(3).empty());
}

TEST_CASE("--max-connections defaults to the descriptor limit minus headroom, at most 4096") {
    CHECK(default_max_connections(1024) == 1024 - kDescriptorHeadroom);
    CHECK(default_max_connections(10) == 8);
    CHECK(default_max_connections(20000) == 4096);
    CHECK(default_max_connections(1L << 40) == 4096);
    Options o;
    o.max_connections = 5;
    auto five = resolve(o);
    CHECK(five->max_connections == 5);
    // Its descriptors are 5, the 503 answers and the relay's own: within the limit.
    CHECK(five->descriptor_limit >= kOwnDescriptors + 5 + five->overload_answers);
    o.max_connections = 2'000'000'000;
    auto r = resolve(o);
    REQUIRE(!r.ok());
    CHECK(r.error().message().find("ulimit -Hn") != std::string::npos);
    auto d = resolve(Options{});
    CHECK(d->max_connections > 0);
    CHECK(d->max_connections <= 4096);
}

TEST_CASE("--max-connections above the soft descriptor limit raises it, up to the hard limit") {
    rlimit saved{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    REQUIRE((saved.rlim_max == RLIM_INFINITY || saved.rlim_max >= 2100));
    rlimit low = saved;
    low.rlim_cur = 1000;  // a soft limit below what is asked for, the hard one above
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
    Options o;
    o.max_connections = 2000;
    auto r = resolve(o);
    setrlimit(RLIMIT_NOFILE, &saved);
    REQUIRE(r.ok());
    CHECK(r->max_connections == 2000);
    CHECK(r->descriptor_limit == 2000 + kDescriptorHeadroom);
    CHECK(r->overload_answers == kOverloadAnswers);
}

TEST_CASE("entities match on whole segments and listeners are capped") {
    Options o;
    o.entities = {"a", "a/b"};
    Config c = *resolve(o);
    Registry reg(c);
    std::string suffix;
    CHECK(reg.match({"a", "b", "c"}, suffix)->path == "a/b");
    CHECK(suffix == "/c");
    CHECK(reg.match({"a", "bc"}, suffix)->path == "a");
    CHECK(suffix == "/bc");
    CHECK(reg.match({"ab"}, suffix) == nullptr);
    Entity* e = reg.find("a");
    for (std::uint64_t i = 1; i <= 3; ++i) CHECK(reg.add_listener(*e, {i, "l"}, 3));
    CHECK(!reg.add_listener(*e, {4, "l"}, 3));
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 200; ++i) seen.insert(reg.pick(*e)->conn);
    CHECK(seen.size() == 3);  // random choice reaches every listener
    reg.remove_listener("a", 2);
    CHECK(e->listeners.size() == 2);
    reg.add_accept("id1", {7, "a"});
    CHECK(reg.take_accept("id1")->sender == 7);
    CHECK(!reg.take_accept("id1"));  // single use
    std::string id = reg.new_id("abc");
    CHECK(id.rfind("abc_G", 0) == 0);
    CHECK(id.size() == 5 + 32);
    CHECK(reg.new_id("abc") != id);
}

TEST_CASE("a kept rendezvous belongs to one sender connection") {
    Config c = config_with_rules();
    Registry reg(c);
    CHECK(!reg.take_rendezvous(7));
    reg.keep_rendezvous(7, {70, 1, "web"});
    CHECK(!reg.drop_rendezvous(7, 71));  // another socket: not this sender's
    CHECK(!reg.drop_rendezvous(8, 70));
    auto k = reg.take_rendezvous(7);
    REQUIRE(k);
    CHECK(k->rendezvous == 70);
    CHECK(k->listener == 1);
    CHECK(k->entity == "web");
    CHECK(!reg.take_rendezvous(7));  // taken once
    reg.keep_rendezvous(7, {70, 1, "web"});
    CHECK(reg.drop_rendezvous(7, 70));
    CHECK(!reg.take_rendezvous(7));
}

TEST_CASE("listener request headers and target") {
    HttpRequest req;
    req.headers = {{"Host", "ns:9000"},           {"Connection", "keep-alive, X-Hop"},
                   {"X-Hop", "1"},                {"Content-Length", "5"},
                   {"ServiceBusAuthorization", "t"}, {"Authorization", "Bearer x"},
                   {"X-Custom", "a"},             {"x-custom", "b"},
                   {"Via", "1.0 proxy"}};
    auto h = listener_request_headers(req, false, "ns");
    CHECK(*control::find_header(h, "Host") == "ns:9000");
    CHECK(*control::find_header(h, "X-Custom") == "a, b");
    CHECK(*control::find_header(h, "Via") == "1.0 proxy, 1.1 ns");
    CHECK(*control::find_header(h, "Authorization") == "Bearer x");
    CHECK(!control::find_header(h, "X-Hop"));
    CHECK(!control::find_header(h, "Connection"));
    CHECK(!control::find_header(h, "Content-Length"));
    CHECK(!control::find_header(h, "ServiceBusAuthorization"));
    CHECK(!control::find_header(listener_request_headers(req, true, "ns"), "Authorization"));

    CHECK(listener_request_target("/hyco/a?x=1&sb-hc-token=abc&sb-hc-foo&&y=%2B") == "/hyco/a?x=1&sb-hc-foo&&y=%2B");
    CHECK(listener_request_target("/hyco?sb-hc-token=abc") == "/hyco");
    CHECK(listener_request_target("/hyco") == "/hyco");
}

TEST_CASE("sender response head drops framing, merges Via, refuses header injection") {
    control::Headers h = {{"content-type", "text/plain"},
                          {"content-length", "10"},
                          {"transfer-encoding", "chunked"},
                          {"x-evil", "a\r\nSet-Cookie: x=1"},
                          {"via", "1.1 upstream"}};
    std::string head = sender_response_head(418, "I'm a\r\n teapot", h, "ns", false, "Content-Length: 0\r\n");
    CHECK(head.rfind("HTTP/1.1 418 I'm a   teapot\r\n", 0) == 0);
    CHECK(head.find("content-type: text/plain\r\n") != std::string::npos);
    CHECK(head.find("content-length: 10") == std::string::npos);
    CHECK(head.find("transfer-encoding") == std::string::npos);
    CHECK(head.find("Set-Cookie") == std::string::npos);
    CHECK(head.find("via: 1.1 upstream, 1.1 ns\r\n") != std::string::npos);
    CHECK(head.find("Content-Length: 0\r\n\r\n") != std::string::npos);
    std::string for_head = sender_response_head(200, "", h, "ns", true, "");
    CHECK(for_head.find("HTTP/1.1 200 OK\r\n") == 0);
    CHECK(for_head.find("content-length: 10") != std::string::npos);
}
