// Tests of proxy selection and the CONNECT exchange's text: URL forms,
// curl's NO_PROXY rules, which variable serves which target, and the
// verdict on a proxy's answer (407 is an auth failure, others name the status).
#include <doctest/doctest.h>

#include <map>

#include "core/http/proxy.h"

using namespace hyco;

namespace {

ProxySources from_env(const std::map<std::string, std::string>& vars) {
    return ProxySources::from_environment([&](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    });
}

HttpResponseHead head(int status, std::string reason) {
    HttpResponseHead h;
    h.status = status;
    h.reason = std::move(reason);
    return h;
}

}  // namespace

TEST_CASE("proxy URLs: scheme optional, port 1080 by default, credentials decoded") {
    auto p = parse_proxy_url("http://proxy.corp:3128");
    REQUIRE(p);
    CHECK(p->host == "proxy.corp");
    CHECK(p->port == 3128);
    CHECK(p->user.empty());
    CHECK(p->label() == "proxy.corp:3128");

    p = parse_proxy_url("Proxy.Corp");
    REQUIRE(p);
    CHECK(p->host == "proxy.corp");
    CHECK(p->port == 1080);

    p = parse_proxy_url("HTTP://al%40ice:p%3Ass@w@[::1]:8080/");
    REQUIRE(p);
    CHECK(p->host == "::1");
    CHECK(p->port == 8080);
    CHECK(p->user == "al@ice");
    CHECK(p->password == "p:ss@w");
    CHECK(p->label() == "[::1]:8080");

    p = parse_proxy_url("http://bob@10.0.0.1:80");
    REQUIRE(p);
    CHECK(p->user == "bob");
    CHECK(p->password.empty());
}

TEST_CASE("bad proxy URLs are usage errors that never quote the password") {
    for (const char* bad : {"", "https://p:443", "socks5://p:1080", "http://p:0", "http://p:99999", "http://:80",
                            "http://p:80/path", "http://u:s3cret@p:x", "http://[::1:80", "::1:80", "http://p q",
                            "http://%zz:s3cret@p", "http://:s3cret@p"}) {
        CAPTURE(bad);
        auto p = parse_proxy_url(bad);
        REQUIRE_FALSE(p);
        CHECK(p.error().code == Exit::usage);
        CHECK(p.error().message().find("s3cret") == std::string::npos);
    }
}

TEST_CASE("NO_PROXY as curl reads it") {
    CHECK(no_proxy_matches("*", "anything.example"));
    CHECK(no_proxy_matches("localhost, *", "x"));
    CHECK(no_proxy_matches("example.com", "example.com"));
    CHECK(no_proxy_matches("example.com", "ns.EXAMPLE.com"));
    CHECK(no_proxy_matches(".example.com", "ns.example.com"));
    CHECK(no_proxy_matches(".example.com", "example.com"));
    CHECK(no_proxy_matches("example.com.", "ns.example.com."));
    CHECK_FALSE(no_proxy_matches("example.com", "badexample.com"));
    CHECK_FALSE(no_proxy_matches("ns.example.com", "example.com"));
    CHECK(no_proxy_matches("a.test,servicebus.windows.net b.test", "x.servicebus.windows.net"));
    CHECK_FALSE(no_proxy_matches("", "example.com"));
    CHECK_FALSE(no_proxy_matches(" , ,", "example.com"));
    // IP literals match IP entries and ranges only; names are not resolved.
    CHECK(no_proxy_matches("127.0.0.1", "127.0.0.1"));
    CHECK_FALSE(no_proxy_matches("127.0.0.1", "127.0.0.2"));
    CHECK_FALSE(no_proxy_matches("localhost", "127.0.0.1"));
    CHECK_FALSE(no_proxy_matches("127.0.0.1", "localhost"));
    CHECK(no_proxy_matches("10.0.0.0/8", "10.200.3.4"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/8", "11.0.0.1"));
    CHECK(no_proxy_matches("192.168.1.0/23", "192.168.0.77"));
    CHECK_FALSE(no_proxy_matches("192.168.1.0/24", "192.168.0.77"));
    CHECK(no_proxy_matches("0.0.0.0/0", "8.8.8.8"));
    CHECK(no_proxy_matches("::1", "::1"));
    CHECK(no_proxy_matches("[::1]", "[::1]"));
    CHECK(no_proxy_matches("fd00::/8", "fd12::1"));
    CHECK_FALSE(no_proxy_matches("fd00::/8", "fe80::1"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/8", "::1"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/33", "10.0.0.1"));
    CHECK_FALSE(no_proxy_matches("10.0.0.0/x", "10.0.0.1"));
}

TEST_CASE("the environment: lower case first, HTTPS for wss://, HTTP for ws://, ALL for either") {
    auto s = from_env({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"},
                       {"HTTP_PROXY", "http://plain:3"}, {"NO_PROXY", "skip.test"}});
    CHECK(s.https_var == "https_proxy");
    auto c = resolve_proxy_config(s);
    REQUIRE(c);
    REQUIRE(c->route("ns.example", true));
    CHECK(c->route("ns.example", true)->label() == "lower:1");
    REQUIRE(c->route("ns.example", false));
    CHECK(c->route("ns.example", false)->label() == "plain:3");
    CHECK_FALSE(c->route("a.skip.test", true));
    CHECK(c->via("ns.example", true) == " via proxy lower:1");
    CHECK(c->via("a.skip.test", true).empty());

    c = resolve_proxy_config(from_env({{"ALL_PROXY", "all:4"}, {"https_proxy", ""}}));
    REQUIRE(c);
    CHECK(c->route("h", true)->label() == "all:4");
    CHECK(c->route("h", false)->label() == "all:4");

    c = resolve_proxy_config(from_env({}));
    REQUIRE(c);
    CHECK_FALSE(c->route("h", true));
    CHECK_FALSE(c->route("h", false));
}

TEST_CASE("--proxy wins over the environment; '' turns proxies off; NO_PROXY still applies") {
    auto s = from_env({{"HTTPS_PROXY", "env:1"}, {"NO_PROXY", "local.test"}});
    s.flag = "http://flag:2";
    auto c = resolve_proxy_config(s);
    REQUIRE(c);
    CHECK(c->route("h", true)->label() == "flag:2");
    CHECK(c->route("h", false)->label() == "flag:2");
    CHECK_FALSE(c->route("x.local.test", true));
    s.flag = "";
    c = resolve_proxy_config(s);
    REQUIRE(c);
    CHECK_FALSE(c->route("h", true));
}

TEST_CASE("credentials from a file or HYCO_PROXY_USER replace the URL's") {
    auto s = from_env({{"HTTPS_PROXY", "http://old:pw@p:1"}, {"HYCO_PROXY_USER", "new:pa:ss"}});
    auto c = resolve_proxy_config(s);
    REQUIRE(c);
    CHECK(c->tls->user == "new");
    CHECK(c->tls->password == "pa:ss");
    s.user = "nocolon";
    c = resolve_proxy_config(s);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == Exit::usage);
    CHECK(c.error().message().find("nocolon") == std::string::npos);
}

TEST_CASE("a malformed variable is named in the error") {
    auto c = resolve_proxy_config(from_env({{"HTTPS_PROXY", "socks5://x:1"}}));
    REQUIRE_FALSE(c);
    CHECK(c.error().what == "HTTPS_PROXY");
    auto s = from_env({{"http_proxy", "http://x:0"}});
    s.flag = "http://ok:1";
    CHECK(resolve_proxy_config(s));  // the flag wins: the variable is not used
}

TEST_CASE("the CONNECT request names the relay, with Basic credentials when given") {
    ProxyServer p{"proxy", 3128, "", ""};
    CHECK(connect_request(p, "ns.example", 443) ==
          "CONNECT ns.example:443 HTTP/1.1\r\nHost: ns.example:443\r\n\r\n");
    CHECK(connect_request(p, "::1", 9000) == "CONNECT [::1]:9000 HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n");
    p.user = "Aladdin";
    p.password = "open sesame";
    CHECK(connect_request(p, "h", 443) ==
          "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
}

TEST_CASE("the verdict on the answer to CONNECT") {
    ProxyServer p{"127.0.0.1", 3128, "", ""};
    CHECK(check_connect_answer(head(200, "Connection established"), p, "h", 443));
    CHECK(check_connect_answer(head(204, ""), p, "h", 443));

    Status st = check_connect_answer(head(407, "Proxy Authentication Required"), p, "h", 443);
    REQUIRE_FALSE(st);
    CHECK(st.error().code == Exit::auth);
    CHECK(st.error().message().rfind("proxy 127.0.0.1:3128: 407 Proxy Authentication Required (the proxy wants", 0) == 0);
    p.user = "u";
    p.password = "s3cret";
    st = check_connect_answer(head(407, "Proxy Authentication Required"), p, "h", 443);
    CHECK(st.error().message() ==
          "proxy 127.0.0.1:3128: 407 Proxy Authentication Required (check the --proxy credentials)");

    st = check_connect_answer(head(401, "Unauthorized"), p, "h", 443);
    CHECK(st.error().code == Exit::auth);
    CHECK(st.error().message() == "proxy 127.0.0.1:3128: 401 Unauthorized (check the --proxy credentials)");

    st = check_connect_answer(head(403, "Forbidden"), p, "ns.example", 443);
    REQUIRE_FALSE(st);
    CHECK(st.error().code == Exit::failure);
    CHECK(st.error().message() == "proxy 127.0.0.1:3128 refused CONNECT to ns.example:443: 403 Forbidden");
    st = check_connect_answer(head(502, ""), p, "::1", 80);
    CHECK(st.error().message() == "proxy 127.0.0.1:3128 refused CONNECT to [::1]:80: 502");
    CHECK_FALSE(check_connect_answer(head(101, "Switching Protocols"), p, "h", 443));
}
