// SAS tokens: the docs/protocol.md §2.7 vectors, mint/verify round trips, the
// audience rules real clients rely on, and every class of malformed token.
#include <doctest/doctest.h>

#include "core/auth/sas.h"

using namespace hyco;

namespace {

const char* kKey1 = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0=";

Audience aud(const char* uri) {
    auto a = parse_audience(uri);
    REQUIRE(a.ok());
    return *a;
}

}  // namespace

TEST_CASE("vector V1: node token for an HTTPS sender URI") {
    std::string t = sas::mint("http://contoso.servicebus.windows.net/hyco", "RootManageSharedAccessKey", kKey1, 1700000000);
    CHECK(t ==
          "SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco&sig=j%2FeAo%2BvsacVcS0dWfxUPguNAiCVyHTzZHAihAkhnsAY%3D&se=1700000000&skn=RootManageSharedAccessKey");
}

TEST_CASE("vector V2: node token keeps :443 in the resource") {
    std::string t = sas::mint("http://contoso.servicebus.windows.net:443/my-hyco", "listen-policy",
                              "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde=", 1893456000);
    CHECK(t ==
          "SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%3A443%2Fmy-hyco&sig=UbjjBI2gYz%2BnMfJyLbxqJRICRsWPHrix6%2FpXuZXD%2BZw%3D&se=1893456000&skn=listen-policy");
    auto parsed = sas::parse(t);
    REQUIRE(parsed.ok());
    CHECK(sas::signature_matches(*parsed, "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde="));
    // The port in the audience is ignored when matching.
    CHECK(sas::verify(*parsed, "", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde=", 1800000000,
                      aud("wss://contoso.servicebus.windows.net/$hc/my-hyco?sb-hc-action=listen"))
              .ok());
}

TEST_CASE("vector V3: the .NET audience form, which hyco mints") {
    auto ns = parse_namespace("sb://contoso.servicebus.windows.net/");
    REQUIRE(ns.ok());
    CHECK(audience_uri(*ns, "hyco") == "http://contoso.servicebus.windows.net/hyco/");
    std::string t = sas::mint(audience_uri(*ns, "hyco"), "RootManageSharedAccessKey", kKey1, 1700000000);
    CHECK(t ==
          "SharedAccessSignature sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco%2F&sig=sADVCpmfL8NpvfXa7v86BBx9rJooXnUGVpAccOFGGYA%3D&se=1700000000&skn=RootManageSharedAccessKey");
}

TEST_CASE("the signature covers the raw sr: lower-case escapes verify too") {
    // Older Microsoft samples encode with lower-case hex; the service accepts them.
    std::string sr = "http%3a%2f%2fcontoso.servicebus.windows.net%2fhyco";
    auto good = sas::parse("SharedAccessSignature sr=" + sr + "&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D&se=1700000000&skn=k");
    REQUIRE(good.ok());
    CHECK(good->resource == "http://contoso.servicebus.windows.net/hyco");
    CHECK(good->resource_raw == sr);
    CHECK_FALSE(sas::signature_matches(*good, kKey1));
}

TEST_CASE("check names the test that failed, in order") {
    std::string token = sas::mint("http://contoso.servicebus.windows.net/hyco", "send", "s3cret", 2000);
    auto t = sas::parse(token);
    REQUIRE(t.ok());
    Audience target = aud("sb://contoso.servicebus.windows.net/hyco/sub");
    CHECK(sas::check(*t, "send", "s3cret", 1000, target).failed == sas::Failed::nothing);
    CHECK(static_cast<bool>(sas::check(*t, "", "s3cret", 1000, target)));
    CHECK(sas::check(*t, "listen", "s3cret", 1000, target).failed == sas::Failed::rule);
    // The rule is checked before the signature, the signature before expiry.
    CHECK(sas::check(*t, "", "other", 3000, target).failed == sas::Failed::signature);
    auto expired = sas::check(*t, "", "s3cret", 2007, target);
    CHECK(expired.failed == sas::Failed::expired);
    CHECK(expired.expired_ago == 7);
    auto host = sas::check(*t, "", "s3cret", 1000, aud("sb://fabrikam.servicebus.windows.net/hyco"));
    CHECK(host.failed == sas::Failed::audience_host);
    CHECK(host.audience.host == "contoso.servicebus.windows.net");
    // A second acceptable host: the one a relay's client dialled.
    CHECK(sas::check(*t, "", "s3cret", 1000, aud("sb://fabrikam.servicebus.windows.net/hyco"),
                     "Contoso.ServiceBus.Windows.Net")
              .failed == sas::Failed::nothing);
    CHECK(sas::check(*t, "", "s3cret", 1000, aud("sb://contoso.servicebus.windows.net/hyco2")).failed ==
          sas::Failed::audience_path);
    auto odd = sas::parse(sas::mint("not a uri", "send", "s3cret", 2000));
    REQUIRE(odd.ok());
    CHECK(sas::check(*odd, "", "s3cret", 1000, target).failed == sas::Failed::audience_uri);
}

TEST_CASE("mint and verify round trip, then each way it can fail") {
    auto ns = parse_namespace("contoso");
    REQUIRE(ns.ok());
    std::string token = sas::mint(audience_uri(*ns, "hyco"), "send", "s3cret", 2000);
    auto t = sas::parse(token);
    REQUIRE(t.ok());
    Audience target = aud("sb://contoso.servicebus.windows.net/hyco");
    CHECK(sas::verify(*t, "send", "s3cret", 1000, target).ok());

    SUBCASE("wrong key") {
        auto st = sas::verify(*t, "", "other", 1000, target);
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().code == Exit::auth);
        CHECK(st.error().why.find("signature does not match") != std::string::npos);
    }
    SUBCASE("wrong rule name") {
        auto st = sas::verify(*t, "listen", "s3cret", 1000, target);
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().code == Exit::auth);
        CHECK(st.error().why.find("'send'") != std::string::npos);
    }
    SUBCASE("expired") {
        auto st = sas::verify(*t, "", "s3cret", 2000, target);
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().code == Exit::token_expired);
        CHECK(st.error().why == "it expired 0 seconds ago");
        CHECK(sas::verify(*t, "", "s3cret", 2001, target).error().why == "it expired 1 second ago");
        CHECK(sas::verify(*t, "", "s3cret", 2002, target).error().why == "it expired 2 seconds ago");
    }
    SUBCASE("tampered expiry") {
        std::string tampered = token;
        tampered.replace(tampered.find("se=2000"), 7, "se=9000");
        auto t2 = sas::parse(tampered);
        REQUIRE(t2.ok());
        CHECK(sas::verify(*t2, "", "s3cret", 1000, target).error().code == Exit::auth);
    }
    SUBCASE("wrong entity, wrong namespace, sibling with a common prefix") {
        CHECK(sas::verify(*t, "", "s3cret", 1000, aud("sb://contoso.servicebus.windows.net/other")).error().code ==
              Exit::wrong_audience);
        CHECK(sas::verify(*t, "", "s3cret", 1000, aud("sb://fabrikam.servicebus.windows.net/hyco")).error().code ==
              Exit::wrong_audience);
        CHECK(sas::verify(*t, "", "s3cret", 1000, aud("sb://contoso.servicebus.windows.net/hyco2")).error().code ==
              Exit::wrong_audience);
    }
}

TEST_CASE("audience matching ignores scheme, port, query, trailing slash and host case") {
    Audience token = aud("http://contoso.servicebus.windows.net/hyco/");
    CHECK(audience_covers(token, aud("wss://CONTOSO.servicebus.windows.net:443/$hc/hyco?sb-hc-action=listen")));
    CHECK(audience_covers(token, aud("https://contoso.servicebus.windows.net/hyco")));
    CHECK(audience_covers(token, aud("sb://contoso.servicebus.windows.net/hyco/sub/dir")));
    CHECK(audience_covers(aud("http://contoso.servicebus.windows.net/"), aud("sb://contoso.servicebus.windows.net/any")));
    CHECK(audience_covers(aud("sb://contoso.servicebus.windows.net/a%20b"), aud("wss://contoso.servicebus.windows.net/$hc/a%20b")));
    CHECK_FALSE(audience_covers(token, aud("sb://contoso.servicebus.windows.net/")));
    CHECK_FALSE(audience_covers(aud("http://contoso.servicebus.windows.net/hyco/sub"), token));
}

TEST_CASE("malformed tokens are refused with a precise reason") {
    struct Case {
        std::string token;
        const char* reason;
    };
    const std::string sig = "sig=j%2FeAo%2BvsacVcS0dWfxUPguNAiCVyHTzZHAihAkhnsAY%3D";
    Case cases[] = {
        {"", "empty"},
        {"Bearer abc", "does not start with"},
        {"SharedAccessSignature", "does not start with"},
        {"SharedAccessSignature  sr=a&" + sig + "&se=1&skn=k", "one space"},
        {"SharedAccessSignature " + sig + "&se=1&skn=k", "'sr'"},
        {"SharedAccessSignature sr=a&se=1&skn=k", "'sig'"},
        {"SharedAccessSignature sr=a&" + sig + "&skn=k", "'se'"},
        {"SharedAccessSignature sr=a&" + sig + "&se=1", "'skn'"},
        {"SharedAccessSignature sr=a&sr=b&" + sig + "&se=1&skn=k", "twice"},
        {"SharedAccessSignature sr=a&" + sig + "&se=soon&skn=k", "whole seconds"},
        {"SharedAccessSignature sr=a&" + sig + "&se=-5&skn=k", "whole seconds"},
        {"SharedAccessSignature sr=a&" + sig + "&se=99999999999999999999&skn=k", "whole seconds"},
        {"SharedAccessSignature sr=a&sig=abc&se=1&skn=k", "32-byte"},
        {"SharedAccessSignature sr=a&sig=%ZZ&se=1&skn=k", "%-escape"},
        {"SharedAccessSignature sr=&" + sig + "&se=1&skn=k", "empty"},
        {"SharedAccessSignature sr=a&" + sig + "&se=1&skn=k&extra=1", "unknown field"},
        {"SharedAccessSignature sr=a&" + sig + "&se=1&skn", "no '='"},
        {"SharedAccessSignature sr=a\n&" + sig + "&se=1&skn=k", "control"},
        {"SharedAccessSignature sr=\xff\xfe&" + sig + "&se=1&skn=k", "UTF-8"},
        {"SharedAccessSignature sr=a&" + sig + "&se=1&skn=%FF", "decodes to control characters or invalid UTF-8"},
        {"SharedAccessSignature sr=a%1B%5B31m&" + sig + "&se=1&skn=k", "decodes to control characters"},
        {"SharedAccessSignature sr=" + std::string(5000, 'a') + "&" + sig + "&se=1&skn=k", "longer than"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.token);
        auto r = sas::parse(c.token);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Exit::auth);
        CHECK(r.error().why.find(c.reason) != std::string::npos);
    }
}

TEST_CASE("the prefix is case-insensitive and field order does not matter") {
    auto t = sas::parse(
        "sharedaccesssignature sig=j%2FeAo%2BvsacVcS0dWfxUPguNAiCVyHTzZHAihAkhnsAY%3D&se=1700000000&skn=RootManageSharedAccessKey&sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco");
    REQUIRE(t.ok());
    CHECK(sas::signature_matches(*t, kKey1));
}

TEST_CASE("redaction removes signatures and keys but keeps the rest") {
    std::string t = sas::mint("http://contoso.servicebus.windows.net/hyco/", "send", "k", 5);
    std::string r = sas::redact(t);
    CHECK(r.find("sig=REDACTED&se=5&skn=send") != std::string::npos);
    CHECK(r.find("sr=http%3A%2F%2Fcontoso") != std::string::npos);
    std::string url = "ws://h/$hc/x?sb-hc-action=listen&sb-hc-token=SharedAccessSignature%20sr%3Dx%26sig%3DAbC%2B%26se%3D1";
    CHECK(sas::redact_in(url).find("AbC") == std::string::npos);
    CHECK(sas::redact_in("Endpoint=sb://h/;SharedAccessKey=abc=;EntityPath=x").find("abc") == std::string::npos);
}

TEST_CASE("rule names and keys are checked like the SDKs do") {
    CHECK(sas::check_key("rule", "key").ok());
    CHECK_FALSE(sas::check_key("", "key").ok());
    CHECK_FALSE(sas::check_key("rule", "").ok());
    CHECK_FALSE(sas::check_key(std::string(257, 'r'), "key").ok());
    CHECK_FALSE(sas::check_key("rule", std::string(257, 'k')).ok());
    CHECK_FALSE(sas::check_key("ru\x01le", "key").ok());
}
