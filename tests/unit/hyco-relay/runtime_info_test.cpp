// Tests of the management view: which GETs are management requests, the
// Atom entry's shape as .NET's DataContractSerializer needs it (element
// names, namespaces, member order), escaping, and the XML error body.
#include <doctest/doctest.h>

#include "tools/hyco-relay/config.h"
#include "tools/hyco-relay/runtime_info.h"

using namespace hyco::relay;

namespace {

HttpRequest get(std::string method, std::string target) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    return r;
}

/// Position of `needle` in `hay`, failing the test when absent.
std::size_t at(const std::string& hay, std::string_view needle) {
    std::size_t p = hay.find(needle);
    CHECK_MESSAGE(p != std::string::npos, needle);
    return p;
}

}  // namespace

TEST_CASE("a management GET is a GET with an api-version parameter") {
    CHECK(is_management_get(get("GET", "/hyco?api-version=2016-07")));
    CHECK(is_management_get(get("GET", "/hyco?x=1&api-version=2017-04")));
    CHECK(is_management_get(get("GET", "/hyco?api-version")));
    CHECK(!is_management_get(get("GET", "/hyco")));
    CHECK(!is_management_get(get("GET", "/hyco?x-api-version=1")));
    CHECK(!is_management_get(get("POST", "/hyco?api-version=2016-07")));
    CHECK(!is_management_get(get("HEAD", "/hyco?api-version=2016-07")));
}

TEST_CASE("the Atom entry carries the description in contract order") {
    RuntimeInfo info;
    info.path = "a/hyco";
    info.created_at = 1'700'000'000;
    info.updated_at = 1'700'000'060;
    info.requires_client_authorization = false;
    info.listener_count = 2;
    std::string x = runtime_info_entry(info, "http://127.0.0.1:9/a/hyco?api-version=2016-07");
    CHECK(x.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?><entry xmlns=\"http://www.w3.org/2005/Atom\">", 0) == 0);
    CHECK(x.find("<title type=\"text\">a/hyco</title>") != std::string::npos);
    // .NET takes the first element inside <content> as the contract root.
    std::size_t content = at(x, "<content type=\"application/xml\"><HybridConnectionDescription "
                                "xmlns=\"http://schemas.microsoft.com/netservices/2010/10/servicebus/connect\"");
    std::size_t created = at(x, "<CreatedAt>2023-11-14T22:13:20Z</CreatedAt>");
    std::size_t updated = at(x, "<UpdatedAt>2023-11-14T22:14:20Z</UpdatedAt>");
    std::size_t auth = at(x, "<RequiresClientAuthorization>false</RequiresClientAuthorization>");
    std::size_t count = at(x, "<ListenerCount>2</ListenerCount>");
    CHECK(content < created);
    CHECK(created < updated);
    CHECK(updated < auth);
    CHECK(auth < count);
    CHECK(x.find("</HybridConnectionDescription></content></entry>") != std::string::npos);
    info.requires_client_authorization = true;
    info.listener_count = 0;
    x = runtime_info_entry(info, "x");
    CHECK(x.find("<RequiresClientAuthorization>true</RequiresClientAuthorization>") != std::string::npos);
    CHECK(x.find("<ListenerCount>0</ListenerCount>") != std::string::npos);
}

TEST_CASE("text in the entry and error bodies is escaped") {
    CHECK(xml_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    CHECK(xml_escape(std::string("t\x01\tn\n", 5)) == "t?\tn\n");
    RuntimeInfo info;
    info.path = "x&y";
    std::string x = runtime_info_entry(info, "http://h/x&y?api-version=1&b=<");
    CHECK(x.find("<title type=\"text\">x&amp;y</title>") != std::string::npos);
    CHECK(x.find("<id>http://h/x&amp;y?api-version=1&amp;b=&lt;</id>") != std::string::npos);
    CHECK(management_error_body(401, "ExpiredToken: <old>") ==
          "<Error><Code>401</Code><Detail>ExpiredToken: &lt;old&gt;</Detail></Error>");
}

TEST_CASE("a management read needs any one right") {
    Rule r{"r", "k", kListen};
    CHECK(r.allows(kAnyRight));
    r.rights = kSend;
    CHECK(r.allows(kAnyRight));
    CHECK(!r.allows(kListen));
    r.rights = 0;
    CHECK(!r.allows(kAnyRight));
}
