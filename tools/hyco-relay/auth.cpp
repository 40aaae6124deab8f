// Token validation. The audience host may be the namespace name or whatever
// Host the client dialled (localhost vs 127.0.0.1), because tokens are minted
// from the URL the client was given; scheme, port and query are ignored.
#include "tools/hyco-relay/auth.h"

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/auth/relay_uri.h"

namespace hyco::relay {
namespace {

AuthResult refuse(int status, std::string reason) {
    AuthResult r;
    r.refused = http::Refusal{status, std::move(reason)};
    return r;
}

std::string rights_name(unsigned needed) {
    if (needed == kAnyRight) return "Listen, Send or Manage";
    if (needed == kManage) return "Manage";
    return needed == kListen ? "Listen" : "Send";
}

}  // namespace

std::string host_of(std::string_view h) {
    h = text::trim(h);
    if (!h.empty() && h.front() == '[') {
        auto close = h.find(']');
        return text::to_lower(h.substr(1, close == std::string_view::npos ? h.size() - 1 : close - 1));
    }
    if (h.find(':') != h.rfind(':')) return text::to_lower(h);  // bare IPv6
    return text::to_lower(h.substr(0, h.find(':')));
}

AuthResult check_token(const Config& config, std::string_view token_text, std::string_view entity,
                       std::string_view request_host, unsigned needed, std::int64_t now, std::string_view suffix) {
    auto token = sas::parse(token_text);
    if (!token) return refuse(401, "MalformedToken: " + token.error().why);
    const Rule* rule = config.rule(token->key_name);
    if (!rule)
        return refuse(401, fmt::format("InvalidSignature: no shared access rule named {}",
                                       text::quote(token->key_name, 60)));
    // The whole requested URI, entity and suffix: a token for
    // https://NS/sub1/deeper (what Microsoft's samples mint for a path with a
    // suffix) covers /sub1/deeper on entity sub1, but not /sub1 itself.
    Audience target;
    target.host = config.ns.host;
    std::string requested(entity);
    if (!suffix.empty()) requested += (suffix.front() == '/' ? "" : "/") + std::string(suffix);
    for (std::string_view seg : text::split(requested, '/'))
        if (!seg.empty()) target.segments.emplace_back(seg);
    sas::Check c = sas::check(*token, {}, rule->key, now, target, request_host);
    switch (c.failed) {
    case sas::Failed::nothing:
    case sas::Failed::rule: break;  // the rule was found by the token's own name
    case sas::Failed::signature: return refuse(401, "InvalidSignature: The token has an invalid signature.");
    case sas::Failed::expired:
        return refuse(401, fmt::format("ExpiredToken: The token expired {} second{} ago.", c.expired_ago,
                                       c.expired_ago == 1 ? "" : "s"));
    case sas::Failed::audience_uri:
        return refuse(401, fmt::format("InvalidAudience: the token's resource {} is not an absolute URI.",
                                       text::quote(token->resource, 80)));
    case sas::Failed::audience_host:
        return refuse(401, fmt::format("InvalidAudience: The token is for host {}, not {}.",
                                       text::quote(c.audience.host, 60), text::quote(config.ns.host, 60)));
    case sas::Failed::audience_path:
        return refuse(401, fmt::format("InvalidAudience: The token's audience {} does not cover {}.",
                                       text::quote(token->resource, 80),
                                       requested.empty() ? std::string("the namespace") : text::quote(requested, 80)));
    }
    if (!rule->allows(needed))
        return refuse(403, fmt::format("Unauthorized: rule '{}' does not grant the {} right on {}.", rule->name,
                                       rights_name(needed),
                                       entity.empty() ? std::string("the namespace") : text::quote(entity, 60)));
    AuthResult ok;
    ok.token = std::move(*token);
    ok.rule = rule;
    return ok;
}

AuthResult authorize(const Config& config, const std::vector<std::string>& candidates, std::string_view entity,
                     std::string_view request_host, unsigned needed, std::int64_t now, std::string_view suffix) {
    if (candidates.empty())
        return refuse(401, "MissingToken: no token in the ServiceBusAuthorization header or the sb-hc-token query");
    AuthResult first;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        AuthResult r = check_token(config, candidates[i], entity, request_host, needed, now, suffix);
        if (r.ok()) return r;
        if (i == 0) first = std::move(r);
    }
    return first;
}

}  // namespace hyco::relay
