// Exit-code mapping for relay connection failures (see relay_errors.h).
#include "core/relay/relay_errors.h"

#include <fmt/format.h>

#include "core/base/text.h"

namespace hyco {
namespace {

const std::string* header(const WsClose& c, std::string_view name) {
    for (const auto& [n, v] : c.http_headers)
        if (text::iequals(n, name)) return &v;
    return nullptr;
}

std::string status_text(const WsClose& c) {
    std::string s = fmt::format("{}", c.http_status);
    if (!c.http_reason.empty()) s += " " + text::printable(c.http_reason);
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

bool starts_with_code_word(std::string_view r) {
    std::size_t i = 0;
    while (i < r.size() && std::isalpha(static_cast<unsigned char>(r[i]))) ++i;
    return i >= 3 && i < r.size() && r[i] == ':' && std::isupper(static_cast<unsigned char>(r[0])) &&
           std::islower(static_cast<unsigned char>(r[1]));
}

}  // namespace

bool is_listener_rejection(const WsClose& c) {
    if (c.http_status <= 0) return false;
    if (const std::string* by = header(c, "hyco-rejected-by")) return text::iequals(*by, "listener");
    if (header(c, "hyco-error") || header(c, "x-ms-error")) return false;
    // The relay's own errors start with an error-code word ("EndpointNotFound:
    // ...", "InvalidSignature: ..."); a listener's description is free text.
    if (starts_with_code_word(c.http_reason)) return false;
    return c.http_status != 401 && c.http_status != 404 && c.http_status != 408 && c.http_status != 504;
}

std::string without_tracking(std::string reason) {
    auto at = reason.find(" TrackingId:");
    if (at != std::string::npos) reason.resize(at);
    return reason;
}

Error sender_connect_error(const WsClose& c, const std::string& what) {
    if (c.http_status <= 0) {
        Error e = c.error ? *c.error : make_error(Exit::failure, what, "the connection failed");
        return e;
    }
    if (is_listener_rejection(c))
        return make_error(Exit::rejected, what,
                          fmt::format("the listener rejected the connection: {} {}", c.http_status,
                                      text::printable(without_tracking(c.http_reason))));
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
