// HTTP/1.1 <-> relay JSON (see http_translate.h).
#include "tools/hyco-pipe/http_translate.h"

#include <charconv>

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/auth/relay_uri.h"

namespace hyco::pipe {
namespace {

/// Strips "/" + `prefix` from the front of `target` at a segment boundary.
std::optional<std::string> strip_prefix(std::string_view target, std::string_view prefix) {
    if (target.size() < prefix.size() + 1 || target[0] != '/' ||
        !text::iequals(target.substr(1, prefix.size()), prefix))
        return std::nullopt;
    std::string_view rest = target.substr(prefix.size() + 1);
    if (!rest.empty() && rest[0] != '/' && rest[0] != '?') return std::nullopt;
    if (rest.empty() || rest[0] == '?') return "/" + std::string(rest);
    return std::string(rest);
}

}  // namespace

std::string strip_entity(std::string_view request_target, std::string_view entity) {
    if (auto s = strip_prefix(request_target, entity)) return *s;
    std::string encoded = encode_entity_path(entity);
    if (auto s = strip_prefix(request_target, encoded)) return *s;
    return std::string(request_target.empty() ? "/" : request_target);
}

Result<std::string> request_head(const control::Request& request, std::string_view entity, BodyFraming framing) {
    if (!http::is_token(request.method))
        return make_error(Exit::usage, "HTTP request", "the method is not a token: " + text::quote(request.method));
    std::string target = strip_entity(request.request_target, entity);
    for (char c : target)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return make_error(Exit::usage, "HTTP request", "the request target contains a space or control character");
    std::string out = fmt::format("{} {} HTTP/1.1\r\n", request.method, target);
    auto listed = http::connection_options(request.request_headers);
    for (const auto& [k, v] : request.request_headers) {
        if (http::is_hop_by_hop(k, listed) || text::iequals(k, "X-Forwarded-Prefix") || text::iequals(k, "X-Forwarded-For"))
            continue;
        // A name or value that would break the head is not ours to repair.
        if (!http::is_token(k) || http::has_bad_value_char(v)) continue;
        out += fmt::format("{}: {}\r\n", k, v);
    }
    // X-Forwarded-For lists every hop: the sender's address goes last.
    std::string xff;
    if (const std::string* v = control::find_header(request.request_headers, "X-Forwarded-For");
        v && !http::has_bad_value_char(*v))
        xff = *v;
    if (!request.remote.address.empty() && !http::has_bad_value_char(request.remote.address))
        xff += (xff.empty() ? "" : ", ") + request.remote.address;
    if (!xff.empty()) out += fmt::format("X-Forwarded-For: {}\r\n", xff);
    if (!control::find_header(request.request_headers, "X-Forwarded-Proto"))
        out += fmt::format("X-Forwarded-Proto: {}\r\n", request.address.rfind("wss:", 0) == 0 ? "https" : "http");
    if (const std::string* host = control::find_header(request.request_headers, "Host");
        host && !control::find_header(request.request_headers, "X-Forwarded-Host") && !http::has_bad_value_char(*host))
        out += fmt::format("X-Forwarded-Host: {}\r\n", *host);
    out += fmt::format("X-Forwarded-Prefix: /{}\r\n", encode_entity_path(entity));
    if (framing.chunked) out += "Transfer-Encoding: chunked\r\n";
    else if (framing.length) out += fmt::format("Content-Length: {}\r\n", *framing.length);
    out += "Connection: close\r\n\r\n";
    return out;
}

control::Headers response_fields(const http::Fields& fields) {
    control::Headers out;
    for (const auto& [k, v] : http::end_to_end(fields)) http::merge(out, k, v);
    return out;
}

void append_chunk(std::string& out, std::string_view piece) {
    // One copy of the piece: a body streams through here.
    char size[2 * sizeof(std::size_t)];
    auto end = std::to_chars(size, size + sizeof size, piece.size(), 16).ptr;
    out.reserve(out.size() + static_cast<std::size_t>(end - size) + piece.size() + 4);
    out.append(size, end).append("\r\n").append(piece).append("\r\n");
}

std::string chunk(std::string_view piece) {
    std::string out;
    append_chunk(out, piece);
    return out;
}

}  // namespace hyco::pipe
