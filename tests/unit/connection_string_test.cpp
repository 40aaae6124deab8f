// Connection strings: the accepted forms, the emulator convention, and the
// errors that name the offending key.
#include <doctest/doctest.h>

#include "core/auth/connection_string.h"

using namespace hyco;

TEST_CASE("a full connection string with key") {
    auto cs = parse_connection_string(
        "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc+/==;EntityPath=hyco");
    REQUIRE(cs.ok());
    CHECK(cs->endpoint.host == "contoso.servicebus.windows.net");
    CHECK(cs->endpoint.tls);
    CHECK(cs->endpoint.effective_port() == 443);
    CHECK(cs->entity_path == "hyco");
    CHECK(cs->key_name == "Root");
    CHECK(cs->key == "abc+/==");  // split at the first '=' keeps base64 padding
    CHECK(cs->redacted().find("abc+/") == std::string::npos);
}

TEST_CASE("keys are case-insensitive, empty segments and whitespace are ignored") {
    auto cs = parse_connection_string(" endpoint = sb://h.example:9443/ ;; entitypath=a/b;sharedaccesskeyname=r;SHAREDACCESSKEY=k;");
    REQUIRE(cs.ok());
    CHECK(cs->endpoint.port == 9443);
    CHECK(cs->entity_path == "a/b");
}

TEST_CASE("UseDevelopmentEmulator selects plain ws:// to the endpoint's host and port") {
    auto cs = parse_connection_string("Endpoint=sb://127.0.0.1:5000/;SharedAccessKeyName=r;SharedAccessKey=k;UseDevelopmentEmulator=true");
    REQUIRE(cs.ok());
    CHECK(cs->emulator);
    CHECK_FALSE(cs->endpoint.tls);
    CHECK(cs->endpoint.effective_port() == 5000);
    auto round = parse_connection_string(cs->to_string());
    REQUIRE(round.ok());
    CHECK(round->to_string() == cs->to_string());
}

TEST_CASE("a pre-issued token") {
    auto cs = parse_connection_string(
        "Endpoint=sb://contoso.servicebus.windows.net/;EntityPath=hyco;SharedAccessSignature=SharedAccessSignature "
        "sr=http%3A%2F%2Fcontoso.servicebus.windows.net%2Fhyco%2F&sig=sADVCpmfL8NpvfXa7v86BBx9rJooXnUGVpAccOFGGYA%3D&se=1700000000&skn=Root");
    REQUIRE(cs.ok());
    CHECK(cs->signature.rfind("SharedAccessSignature sr=", 0) == 0);
    CHECK(cs->redacted().find("sADVC") == std::string::npos);
}

TEST_CASE("OperationTimeout is a .NET time span") {
    auto cs = parse_connection_string("Endpoint=sb://h/;OperationTimeout=00:01:30");
    REQUIRE(cs.ok());
    CHECK(cs->operation_timeout->count() == 90);
    CHECK_FALSE(parse_connection_string("Endpoint=sb://h/;OperationTimeout=90s").ok());
    auto days = parse_connection_string("Endpoint=sb://h/;OperationTimeout=2.00:00:01");
    REQUIRE(days.ok());
    CHECK(days->operation_timeout->count() == 2 * 86400 + 1);
    // A day count beyond TimeSpan's range overflowed the seconds (UBSan).
    CHECK_FALSE(parse_connection_string("Endpoint=sb://h/;OperationTimeout=9223372036854775.00:00:00").ok());
    CHECK_FALSE(parse_connection_string("Endpoint=sb://h/;OperationTimeout=-1.00:00:00").ok());
}

TEST_CASE("errors name the key that is wrong") {
    struct Case {
        const char* text;
        const char* says;
    };
    Case cases[] = {
        {"", "empty"},
        {"   ", "empty"},
        {"EntityPath=x", "Endpoint is missing"},
        {"Endpoint=https://h/", "sb://"},
        {"Endpoint=sb://h/;Bogus=1", "unknown key 'Bogus'"},
        {"Endpoint=sb://h/;Endpoint=sb://g/", "'Endpoint' appears twice"},
        {"Endpoint=sb://h/;EntityPath=", "'EntityPath' has an empty value"},
        {"Endpoint=sb://h/;SharedAccessKeyName=r", "without SharedAccessKey"},
        {"Endpoint=sb://h/;SharedAccessKey=k", "without SharedAccessKeyName"},
        {"Endpoint=sb://h/;SharedAccessKeyName=r;SharedAccessKey=k;SharedAccessSignature=SharedAccessSignature x",
         "cannot be combined"},
        {"Endpoint=sb://h/;SharedAccessSignature=garbage", "SharedAccessSignature:"},
        {"Endpoint=sb://h/;UseDevelopmentEmulator=yes", "true or false"},
        {"Endpoint=sb://h:99999/", "port"},
        {"Endpoint=sb://h/path", "no path"},
        {"Endpoint=sb://h/;EntityPath=a//b", "EntityPath"},
        {"Endpoint=sb://h/;EntityPath=../x", "EntityPath"},
        {"Endpoint=sb://h/;noequals", "no '='"},
        {"Endpoint=sb://h/;Authentication=Managed Identity", "not supported"},
        {"Endpoint=sb://h/;SharedAccessKeyName=r;SharedAccessKey=a\x01", "control"},
        {"Endpoint=sb://h/;EntityPath=\xc3\x28", "UTF-8"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        auto r = parse_connection_string(c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == Exit::usage);
        CHECK(r.error().message().find(c.says) != std::string::npos);
    }
    auto huge = parse_connection_string("Endpoint=sb://h/;EntityPath=" + std::string(20000, 'a'));
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.error().why.find("longer than") != std::string::npos);
}
