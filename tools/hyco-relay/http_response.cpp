// Relay-generated HTTP responses. Reason phrases carry the diagnosis (which
// check a token failed, why a path is unknown), because that is what
// WebSocket clients surface to users (docs/protocol.md §9.2).
#include "tools/hyco-relay/http_response.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/auth/crypto.h"
#include "core/base/json_text.h"
#include "core/base/text.h"
#include "core/ws/ws_frame.h"

namespace hyco::relay {

std::string_view default_reason(int status) {
    switch (status) {
        case 101: return "Switching Protocols";
        case 200: return "OK";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 410: return "Gone";
        case 413: return "Payload Too Large";
        case 426: return "Upgrade Required";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        default: return "Status";
    }
}

std::string clean_reason(int status, std::string_view reason) {
    std::string out;
    for (char c : reason) {
        unsigned char u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
        if (out.size() >= 512) break;
    }
    std::string_view t = text::trim(out);
    if (t.empty()) return std::string(default_reason(status));
    return std::string(t);
}

std::string_view error_code_name(int status) {
    switch (status) {
        case 400: return "BadRequest";
        case 401: return "TokenMissingOrInvalid";
        case 403: return "Forbidden";
        case 404: return "EndpointNotFound";
        case 410: return "Gone";
        case 502: return "BadGateway";
        case 503: return "ServiceUnavailable";
        case 504: return "GatewayTimeout";
        default: return status >= 500 ? "ServerError" : "ClientError";
    }
}

std::string error_response(int status, std::string_view reason, bool head_only, std::string_view extra_headers) {
    std::string message = fmt::format("{} TrackingId:{}", clean_reason(status, reason), crypto::uuid4());
    nlohmann::json j = {{"error", {{"code", error_code_name(status)}, {"message", message}}}};
    std::string body = json_text(j) + "\n";
    std::string out = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n"
        "Connection: close\r\n{}\r\n",
        status, message, body.size(), extra_headers);
    if (!head_only) out += body;
    return out;
}

std::string upgrade_response(std::string_view key, std::string_view protocol) {
    std::string out = fmt::format(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: {}\r\n",
        ws::accept_key(key));
    if (!protocol.empty()) out += fmt::format("Sec-WebSocket-Protocol: {}\r\n", protocol);
    return out + "\r\n";
}

std::optional<http::Refusal> check_upgrade(const HttpRequest& req) {
    auto bad = [](std::string why) { return http::Refusal{400, std::move(why)}; };
    if (req.method != "GET") return bad("a WebSocket upgrade must use GET");
    if (req.minor_version < 1) return bad("a WebSocket upgrade needs HTTP/1.1");
    if (!req.has_token("Upgrade", "websocket")) return bad("expected a WebSocket upgrade (Upgrade: websocket)");
    if (!req.has_token("Connection", "upgrade")) return bad("expected 'Connection: Upgrade'");
    const std::string* version = req.header("Sec-WebSocket-Version");
    if (!version || text::trim(*version) != "13") return http::Refusal{426, "only WebSocket version 13 is supported"};
    const std::string* key = req.header("Sec-WebSocket-Key");
    if (!key) return bad("Sec-WebSocket-Key is missing");
    auto raw = text::base64_decode(text::trim(*key));
    if (!raw || raw->size() != 16) return bad("Sec-WebSocket-Key is not 16 bytes of base64");
    return std::nullopt;
}

bool list_contains(std::string_view list, std::string_view item) {
    for (std::string_view p : text::split(list, ','))
        if (text::trim(p) == item) return true;
    return false;
}

}  // namespace hyco::relay
