// Local token checks (see token_check.h), with the same parser and verifier
// hyco-token uses, so a token the probe passes is one the tools would send.
#include "tools/hyco-probe/token_check.h"

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/text.h"

namespace hyco::probe {
namespace {

constexpr const char* kStep = "token";

std::string when(std::int64_t expiry, std::int64_t now) {
    if (expiry <= now)
        return fmt::format("expired {} ago ({})", format_duration(std::chrono::seconds(now - expiry)),
                           format_utc(expiry));
    return fmt::format("expires in {} ({})", format_duration(std::chrono::seconds(expiry - now)), format_utc(expiry));
}

}  // namespace

StepResult check_token(const RelayTarget& target, std::int64_t now) {
    const Credentials& c = target.credentials;
    if (c.empty())
        return StepResult::skipped(kStep,
                                   "no key or token given: only an entity that lets senders in without "
                                   "a token can be reached");
    auto text = c.token_for(target.ns, target.entity, now);
    auto token = sas::parse(text.value_or(""));
    if (!token) return StepResult::failed(kStep, token.error());
    auto goal = parse_audience(audience_uri(target.ns, target.entity));
    if (!goal) return StepResult::failed(kStep, goal.error());
    std::string about = fmt::format("rule {}, audience {}, {}", text::quote(token->key_name), token->resource,
                                    when(token->expiry, now));
    if (c.can_mint()) {
        // A token minted here can still be wrong: a key name the SDKs refuse
        // was caught earlier; this catches an audience that misses the entity.
        if (auto st = sas::verify(*token, c.key_name, c.key, now, *goal); !st)
            return StepResult::failed(kStep, make_error(st.error().code, "", st.error().why + "; " + about));
        return {kStep, Verdict::ok, std::nullopt, about + " (minted from the key)"};
    }
    if (token->expiry <= now)
        return StepResult::failed(kStep, make_error(Exit::token_expired, "", "the pre-issued token " + about));
    auto aud = parse_audience(token->resource);
    if (!aud || !audience_covers(*aud, *goal))
        return StepResult::failed(
            kStep, make_error(Exit::wrong_audience, "",
                              fmt::format("the pre-issued token's audience {} does not cover {}", token->resource,
                                          audience_uri(target.ns, target.entity))));
    return {kStep, Verdict::ok, std::nullopt, about + " (pre-issued: the relay checks its signature)"};
}

}  // namespace hyco::probe
