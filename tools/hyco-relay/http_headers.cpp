// Header rewriting. Names and values from listeners are checked again here,
// because a CR or LF in them would let a listener split the response.
#include "tools/hyco-relay/http_headers.h"

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/http/http_fields.h"
#include "tools/hyco-relay/http_response.h"

namespace hyco::relay {
namespace {

bool safe_header(std::string_view name, std::string_view value) {
    if (name.empty()) return false;
    for (char c : name)
        if (c <= ' ' || c == ':' || c == 0x7f) return false;
    for (char c : value)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

}  // namespace

control::Headers listener_request_headers(const HttpRequest& req, bool strip_authorization, std::string_view via_host) {
    control::Headers out;
    std::vector<std::string> options = http::connection_options(req.headers);
    for (const auto& [name, value] : req.headers) {
        if (http::is_hop_by_hop(name, options) || text::iequals(name, "ServiceBusAuthorization")) continue;
        if (strip_authorization && text::iequals(name, "Authorization")) continue;
        http::merge(out, name, value);
    }
    http::merge(out, "Via", fmt::format("1.1 {}", via_host));
    return out;
}

std::string listener_request_target(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, q));
    std::vector<std::string> kept;
    for (const QueryParam& p : parse_query(target.substr(q + 1)))
        if (!(p.has_value && p.name.rfind("sb-hc-", 0) == 0)) kept.push_back(p.raw);
    std::string query;
    for (std::size_t i = 0; i < kept.size(); ++i) query += (i ? "&" : "") + kept[i];
    if (!kept.empty()) out += "?" + query;
    return out;
}

std::string sender_response_head(int status, std::string_view description, const control::Headers& headers,
                                 std::string_view via_host, bool keep_length, std::string_view framing) {
    std::string out = fmt::format("HTTP/1.1 {} {}\r\n", status, clean_reason(status, description));
    std::string via = fmt::format("1.1 {}", via_host);
    bool via_merged = false;
    for (const auto& [name, value] : headers) {
        if (!safe_header(name, value)) continue;
        if (http::is_hop_by_hop(name) && !(keep_length && text::iequals(name, "Content-Length"))) continue;
        if (text::iequals(name, "Via")) {
            out += fmt::format("{}: {}, {}\r\n", name, value, via);
            via_merged = true;
            continue;
        }
        out += fmt::format("{}: {}\r\n", name, value);
    }
    if (!via_merged) out += "Via: " + via + "\r\n";
    return out + std::string(framing) + "\r\n";
}

}  // namespace hyco::relay
