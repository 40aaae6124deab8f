// Exit-code mapping for relay connection failures (see relay_errors.h).
#include "core/relay_errors.h"

#include <fmt/format.h>

#include "core/text.h"

namespace hyco {
namespace {

const std::string* header(const WsClose& c, std::string_view name) {
    for (const auto& [n, v] : c.http_headers)
        if (text::iequals(n, name)) return &v;
    return nullptr;
}

std::string status_text(const WsClose& c) {
    std::string s = fmt::format("{}", c.http_status);
    if (!c.http_reason.empty()) s += " " + c.http_reason;
    return s;
}

Exit relay_status_exit(int status) {
    switch (status) {
    case 401:
    case 403: return Exit::auth;
    case 404: return Exit::not_found;
    case 408:
    case 504: return Exit::timeout;
    default: return Exit::failure;
    }
}

}  // namespace

bool is_listener_rejection(const WsClose& c) {
    if (c.http_status <= 0) return false;
    if (const std::string* by = header(c, "hyco-rejected-by")) return text::iequals(*by, "listener");
    if (header(c, "x-hyco-rejected")) return true;
    if (header(c, "hyco-error") || header(c, "x-ms-error")) return false;
    // Azure (and hyco-relay) write a TrackingId into every reason phrase of
    // their own; a listener's description is passed through untouched.
    if (c.http_reason.find("TrackingId") != std::string::npos) return false;
    return c.http_status != 401 && c.http_status != 404 && c.http_status != 408 && c.http_status != 504 &&
           c.http_status < 500;
}

Error sender_connect_error(const WsClose& c, const std::string& what) {
    if (c.http_status <= 0) {
        Error e = c.error ? *c.error : make_error(Exit::failure, what, "the connection failed");
        return e;
    }
    if (is_listener_rejection(c))
        return make_error(Exit::rejected, what, "the listener rejected the connection: " + status_text(c));
    Exit code = relay_status_exit(c.http_status);
    std::string why = "relay answered " + status_text(c);
    if (code == Exit::not_found && c.http_reason.empty()) why += " (no such entity, or no listener)";
    return make_error(code, what, why);
}

Error listener_connect_error(const WsClose& c, const std::string& what, bool& fatal) {
    fatal = c.http_status == 404;
    if (c.http_status <= 0) return c.error ? *c.error : make_error(Exit::failure, what, "the connection failed");
    return make_error(relay_status_exit(c.http_status), what, "relay answered " + status_text(c));
}

}  // namespace hyco
