// Tests of hyco-probe's pure parts: reading the runtime-information entry
// and management error bodies, the local token verdicts, and step output.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/auth/sas.h"
#include "tools/hyco-probe/runtime_entry.h"
#include "tools/hyco-probe/step.h"
#include "tools/hyco-probe/token_check.h"

using namespace hyco;
using namespace hyco::probe;

namespace {

// The shape hyco-relay and the service answer, with the default namespace.
const char* kEntry =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><entry xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id>"
    "<title type=\"text\">hc</title><content type=\"application/xml\"><HybridConnectionDescription "
    "xmlns=\"http://schemas.microsoft.com/netservices/2010/10/servicebus/connect\" "
    "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><CreatedAt>2026-01-01T00:00:00Z</CreatedAt>"
    "<RequiresClientAuthorization>false</RequiresClientAuthorization><ListenerCount>3</ListenerCount>"
    "</HybridConnectionDescription></content></entry>";

RelayTarget target_with(Credentials c) {
    RelayTarget t;
    t.ns = *parse_namespace("contoso");
    t.entity = "orders";
    t.credentials = std::move(c);
    return t;
}

constexpr std::int64_t kNow = 1800000000;

}  // namespace

TEST_CASE("the runtime entry's listener count and authorization flag") {
    auto e = parse_runtime_entry(kEntry);
    REQUIRE(e.ok());
    CHECK(e->listener_count == 3);
    CHECK_FALSE(e->requires_client_authorization);
}

TEST_CASE("prefixed elements and a missing flag (the default: a token is needed)") {
    auto e = parse_runtime_entry(
        "<a:HybridConnectionDescription xmlns:a=\"u\"><a:ListenerCount> 0 </a:ListenerCount>"
        "</a:HybridConnectionDescription>");
    REQUIRE(e.ok());
    CHECK(e->listener_count == 0);
    CHECK(e->requires_client_authorization);
}

TEST_CASE("malformed entries are errors that say what is wrong") {
    CHECK(parse_runtime_entry("<entry></entry>").error().why.find("no <ListenerCount>") != std::string::npos);
    CHECK(parse_runtime_entry("<ListenerCount>-1</ListenerCount>").error().why.find("whole number") !=
          std::string::npos);
    CHECK_FALSE(parse_runtime_entry("<ListenerCount>2x</ListenerCount>").ok());
    CHECK_FALSE(parse_runtime_entry("<ListenerCount></ListenerCount>").ok());
    CHECK_FALSE(parse_runtime_entry("<ListenerCount>1</Other>").ok());
    CHECK_FALSE(parse_runtime_entry("<ListenerCount>1").ok());
    CHECK_FALSE(parse_runtime_entry("<ListenerCount>1</ListenerCount><RequiresClientAuthorization>yes"
                                    "</RequiresClientAuthorization>")
                    .ok());
    CHECK_FALSE(parse_runtime_entry("<ListenerCount/>").ok());
    CHECK_FALSE(parse_runtime_entry("<").ok());
}

TEST_CASE("a management error's detail, entities decoded") {
    CHECK(error_detail("<Error><Code>404</Code><Detail>entity &apos;a&apos; &amp; b &lt;c&gt;</Detail></Error>") ==
          "entity 'a' & b <c>");
    CHECK_FALSE(error_detail("<html>bad gateway</html>").has_value());
}

TEST_CASE("token step: minted, pre-issued, expired, wrong audience, none") {
    Credentials key;
    key.key_name = "root";
    key.key = "secretkey0123456789";
    auto minted = check_token(target_with(key), kNow);
    CHECK(minted.verdict == Verdict::ok);
    CHECK(minted.detail.find("rule 'root'") != std::string::npos);
    CHECK(minted.detail.find("http://contoso.servicebus.windows.net/orders/") != std::string::npos);
    CHECK(minted.detail.find(key.key) == std::string::npos);

    Credentials pre;
    pre.token = sas::mint("http://contoso.servicebus.windows.net/orders", "send", "k", kNow + 600);
    CHECK(check_token(target_with(pre), kNow).verdict == Verdict::ok);

    auto expired = check_token(target_with(pre), kNow + 601);
    CHECK(expired.verdict == Verdict::fail);
    CHECK(expired.code == Exit::token_expired);
    CHECK(expired.detail.find("expired") != std::string::npos);

    Credentials other;
    other.token = sas::mint("http://contoso.servicebus.windows.net/invoices", "send", "k", kNow + 600);
    auto wrong = check_token(target_with(other), kNow);
    CHECK(wrong.verdict == Verdict::fail);
    CHECK(wrong.code == Exit::wrong_audience);

    CHECK(check_token(target_with({}), kNow).verdict == Verdict::skip);
}

TEST_CASE("step lines and JSON objects") {
    StepResult r{"tcp", Verdict::fail, 1.5, "connect to 127.0.0.1:1: Connection refused\x1b[2J", Exit::failure};
    std::string line = format_line(r);
    CHECK(line.rfind("tcp      fail      1.5 ms  connect to", 0) == 0);
    CHECK(line.find('\x1b') == std::string::npos);
    auto j = nlohmann::json::parse(format_json(r));
    CHECK(j["step"] == "tcp");
    CHECK(j["status"] == "fail");
    CHECK(j["ms"] == 1.5);
    CHECK(j["exit"] == 1);
    auto skipped = nlohmann::json::parse(format_json(StepResult::skipped("tls", "ws://")));
    CHECK(skipped["ms"].is_null());
    CHECK(skipped["exit"] == 0);
}
