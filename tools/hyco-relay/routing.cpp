#include "tools/hyco-relay/routing.h"

#include <cctype>

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/auth/relay_uri.h"
#include "tools/hyco-relay/answers.h"
#include "tools/hyco-relay/listener_channel.h"
#include "tools/hyco-relay/context.h"

namespace hyco::relay {

const char* const kFilteredOut =
    "EndpointNotFound: None of the connected listeners meet the AllowedListeners/DisallowedListeners criteria.";

std::vector<std::string> tokens_of(const HttpRequest& req, const std::vector<QueryParam>& params) {
    std::vector<std::string> out;
    if (const std::string* h = req.header("ServiceBusAuthorization")) out.push_back(*h);
    if (auto q = query_value(params, "sb-hc-token")) out.push_back(*q);
    return out;
}

std::string tracking_prefix(const std::vector<QueryParam>& params) {
    std::string out;
    if (auto id = query_value(params, "sb-hc-id"))
        for (char c : *id)
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') out += c;
    return out.substr(0, 64);
}

std::string app_query(const std::vector<QueryParam>& params) {
    std::string out;
    for (const QueryParam& p : params) {
        if (p.name.rfind("sb-hc-", 0) == 0 || p.raw.empty()) continue;
        out += p.raw + "&";
    }
    return out;
}

bool decode_segments(std::string_view path, std::vector<std::string>& segments) {
    segments.clear();
    for (std::string_view s : text::split(path, '/')) {
        if (s.empty()) continue;
        auto d = text::percent_decode(s);
        if (!d || d->empty() || *d == "." || *d == ".." || d->find('/') != std::string::npos) return false;
        segments.push_back(std::move(*d));
    }
    return true;
}

Entity* sender_entity(Conn& conn, const std::vector<std::string>& segs, std::string& suffix, bool head_only,
                      Entity& scratch) {
    Context& relay = conn.relay;
    if (segs.empty()) {
        refuse(conn, 404, "EndpointNotFound: the path names no entity.", head_only);
        return nullptr;
    }
    Entity* e = relay.registry().match(segs, suffix);
    if (e) return e;
    std::string joined;
    for (const auto& s : segs) joined += (joined.empty() ? "" : "/") + s;
    if (relay.config().declared_only) {
        refuse(conn, 404, fmt::format("EndpointNotFound: entity '{}' does not exist.", joined), head_only);
        return nullptr;
    }
    auto path = normalize_entity_path(joined);
    if (!path) {
        refuse(conn, 404, "EndpointNotFound: " + path.error().message(), head_only);
        return nullptr;
    }
    scratch = Entity{};
    scratch.path = *path;
    suffix.clear();
    return &scratch;
}

Conn* pick_listener(Conn& conn, Entity& e, const HttpRequest& req, NoListener& why) {
    auto list = [&](std::string_view name) {
        std::vector<std::string> out;
        if (auto v = req.joined(name))
            for (std::string_view item : text::split(*v, ','))
                if (!text::trim(item).empty()) out.emplace_back(text::trim(item));
        return out;
    };
    auto contains = [](const std::vector<std::string>& l, const std::string& id) {
        for (const std::string& x : l)
            if (text::iequals(x, id)) return true;
        return false;
    };
    std::vector<std::string> allowed = list("Microsoft-Relay-AllowedListeners");
    std::vector<std::string> disallowed = list("Microsoft-Relay-DisallowedListeners");
    std::size_t online = 0, passed = 0;
    std::vector<Conn*> eligible;
    for (const ListenerRef& ref : e.listeners) {
        Conn* c = conn.relay.find(ref.conn);
        auto* channel = c && !c->closing() ? c->role<ListenerChannel>() : nullptr;
        if (!channel) continue;
        ++online;
        if (!allowed.empty() && !contains(allowed, ref.id)) continue;
        if (contains(disallowed, ref.id)) continue;
        ++passed;
        if (channel->backed_up()) continue;
        eligible.push_back(c);
    }
    why = passed ? NoListener::busy : online ? NoListener::filtered : NoListener::none;
    if (eligible.empty()) return nullptr;
    return eligible[conn.relay.registry().random_below(eligible.size())];
}

}  // namespace hyco::relay
