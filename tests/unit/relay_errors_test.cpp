// Unit tests for mapping refused relay connections to exit codes.
#include <doctest/doctest.h>

#include "core/relay/relay_errors.h"

using namespace hyco;

namespace {

WsClose refused(int status, std::string reason, std::vector<std::pair<std::string, std::string>> headers = {}) {
    WsClose c;
    c.kind = WsClose::Kind::failed;
    c.http_status = status;
    c.http_reason = std::move(reason);
    c.http_headers = std::move(headers);
    return c;
}

}  // namespace

TEST_CASE("relay errors map to auth, not found and timeout") {
    CHECK(sender_connect_error(refused(401, "Unauthorized. TrackingId:1"), "c").code == Exit::auth);
    CHECK(sender_connect_error(refused(403, "Unauthorized: rule 'r' does not grant Send. TrackingId:1"), "c").code ==
          Exit::auth);
    CHECK(sender_connect_error(refused(404, "Endpoint does not exist. TrackingId:1"), "c").code ==
          Exit::not_found);
    CHECK(sender_connect_error(refused(504, "Gateway Timeout"), "c").code == Exit::timeout);
    CHECK(sender_connect_error(refused(500, "ServerError: boom. TrackingId:1"), "c").code == Exit::failure);
}

TEST_CASE("a listener's rejection exits 6 and keeps its status and description") {
    Error e = sender_connect_error(refused(403, "not on the guest list", {{"hyco-rejected-by", "listener"}}), "c");
    CHECK(e.code == Exit::rejected);
    CHECK(e.why.find("403 not on the guest list") != std::string::npos);
    CHECK(sender_connect_error(refused(418, "teapot"), "c").code == Exit::rejected);
    Error t = sender_connect_error(refused(403, "not on the guest list TrackingId:5e3e"), "c");
    CHECK(t.code == Exit::rejected);
    CHECK(t.why == "the listener rejected the connection: 403 not on the guest list");
}

TEST_CASE("a listener's 404 is fatal for the listener") {
    bool fatal = false;
    Error e = listener_connect_error(refused(404, "Not Found"), "listen", fatal);
    CHECK(fatal);
    CHECK(e.code == Exit::not_found);
    listener_connect_error(refused(401, "Unauthorized"), "listen", fatal);
    CHECK_FALSE(fatal);
}

TEST_CASE("failures without an HTTP status keep their own error") {
    WsClose c;
    c.error = make_error(Exit::timeout, "connect", "no answer");
    CHECK(sender_connect_error(c, "x").code == Exit::timeout);
}
