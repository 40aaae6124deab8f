// Accept metadata and decisions (see accept_info.h).
#include "core/relay/accept_info.h"

#include "core/stream/stream_end.h"

#include "core/base/text.h"
#include "core/base/uri.h"
#include "core/auth/relay_uri.h"

namespace hyco {

ConnectionInfo connection_info(const control::Accept& accept, std::string_view entity) {
    ConnectionInfo info;
    info.id = accept.id;
    info.remote_address = accept.remote.address;
    info.remote_port = accept.remote.port;
    info.headers = accept.connect_headers;
    if (const std::string* p = control::find_header(accept.connect_headers, "Sec-WebSocket-Protocol"))
        for (std::string_view s : text::split(*p, ','))
            if (auto t = text::trim(s); !t.empty()) info.offered_subprotocols.emplace_back(t);
    auto uri = parse_uri(accept.address);
    if (!uri) return info;
    // Path: /$hc/<entity>[/suffix]
    std::string prefix = "/$hc/" + encode_entity_path(entity);
    std::string_view path = uri->path;
    if (path.size() > prefix.size() && text::iequals(path.substr(0, prefix.size()), prefix) &&
        path[prefix.size()] == '/') {
        std::string_view rest = path.substr(prefix.size() + 1);
        info.path_suffix = text::percent_decode(rest).value_or(std::string(rest));
    }
    std::string q;
    for (std::string_view kv : text::split(uri->query, '&')) {
        if (kv.empty()) continue;
        if (kv.size() >= 6 && text::iequals(kv.substr(0, 6), "sb-hc-") && kv.find('=') != std::string_view::npos)
            continue;
        if (!q.empty()) q += '&';
        q += kv;
    }
    info.query = q;
    return info;
}

EnvVars connection_env(const ConnectionInfo& info, std::string_view entity, std::string_view subprotocol) {
    EnvVars env = {
        {"HYCO_ID", info.id},
        {"HYCO_REMOTE_ADDR", info.remote_address},
        {"HYCO_REMOTE_PORT", std::to_string(info.remote_port)},
        {"HYCO_ENTITY", std::string(entity)},
        {"HYCO_PATH", info.path_suffix},
        {"HYCO_QUERY", info.query},
        {"HYCO_SUBPROTOCOL", std::string(subprotocol)},
    };
    for (const auto& [name, value] : info.headers)
        if (!text::has_control(value)) env.emplace_back(header_env_name(name), value);
    return env;
}

std::optional<std::string> choose_subprotocol(const std::vector<std::string>& offered,
                                              const std::vector<std::string>& supported) {
    return eos::choose(offered, supported);
}

std::string reject_url(std::string_view address, int status, std::string_view description) {
    std::string url(address);
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "sb-hc-statusCode=" + std::to_string(status);
    url += "&sb-hc-statusDescription=" + text::encode_component(description);
    return url;
}

std::optional<Verdict> parse_verdict(std::string_view t) {
    t = text::trim(t);
    if (t.size() < 3) return std::nullopt;
    int status = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
        status = status * 10 + (t[i] - '0');
    }
    if (status < 400 || status > 599) return std::nullopt;
    if (t.size() > 3 && t[3] != ' ' && t[3] != ':' && t[3] != '\t') return std::nullopt;
    Verdict v;
    v.status = status;
    std::string_view rest = t.substr(3);
    while (!rest.empty() && (rest.front() == ':' || rest.front() == ' ' || rest.front() == '\t'))
        rest.remove_prefix(1);
    if (rest.size() > 200) {
        // Cut at a character boundary: the description travels in JSON and URLs.
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80) --cut;
        rest = rest.substr(0, cut);
    }
    if (!rest.empty()) v.description = std::string(rest);
    return v;
}

}  // namespace hyco
