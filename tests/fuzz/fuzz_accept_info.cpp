// Fuzz target: what a listener makes of the relay's `accept` message and of
// an accept hook's verdict. Input: the entity (line 1), the verdict text
// (line 2), the subprotocols we support (line 3, comma-separated), then the
// control message. The metadata handed to children must be clean (no
// sb-hc-* parameters, proper variable names), the subprotocol chosen one
// both sides know, and a rejection URL must carry exactly the verdict.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/text.h"
#include "core/http/http_request_head.h"
#include "core/relay/accept_info.h"
#include "core/relay/control_message.h"
#include "core/stream/stream_end.h"
#include "tests/fuzz/invariant.h"

namespace {

bool env_name(std::string_view name) {
    return name.starts_with("HYCO_") &&
           std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

void check_info(const hyco::control::Accept& accept, std::string_view entity, const std::vector<std::string>& supported) {
    hyco::ConnectionInfo info = hyco::connection_info(accept, entity);
    require(info.id == accept.id && info.headers == accept.connect_headers, "id and headers pass through");
    for (const auto& p : info.offered_subprotocols)
        require(!p.empty() && p.find(',') == std::string::npos && hyco::text::trim(p) == p,
                "offered subprotocols are single trimmed items");
    for (std::string_view kv : hyco::text::split(info.query, '&')) {
        require(!kv.empty() || info.query.empty(), "no empty pairs in the query");
        bool reserved = kv.size() >= 6 && hyco::text::iequals(kv.substr(0, 6), "sb-hc-") &&
                        kv.find('=') != std::string_view::npos;
        require(!reserved, "the relay's own parameters are not the application's");
    }
    auto chosen = hyco::choose_subprotocol(info.offered_subprotocols, supported);
    auto known = [](const std::vector<std::string>& list, const std::string& s) {
        return std::find(list.begin(), list.end(), s) != list.end();
    };
    if (chosen && !chosen->empty()) require(known(info.offered_subprotocols, *chosen), "the choice was offered");
    if (chosen && !chosen->empty() && !supported.empty() && !known(supported, *chosen))
        require(*chosen == hyco::eos::kRecords, "the choice is supported (or hyco's own)");
    for (const auto& [name, value] : hyco::connection_env(info, entity, chosen.value_or("")))
        require(env_name(name) && !hyco::text::has_control(name), "environment names are shell-safe");
}

void check_reject(std::string_view address, std::string_view verdict_text) {
    auto verdict = hyco::parse_verdict(verdict_text);
    if (!verdict) return;
    require(verdict->status >= 400 && verdict->status <= 599, "a verdict is a 4xx or 5xx");
    const std::string& d = verdict->description;
    require(!d.empty() && d.size() <= 200, "a description is present and bounded");
    require(d.front() != ' ' && d.front() != ':' && d.front() != '\t', "the separator is not part of the description");
    if (hyco::text::is_valid_utf8(verdict_text)) require(hyco::text::is_valid_utf8(d), "the cut keeps UTF-8 whole");
    // A fragment would swallow the parameters; rendezvous addresses have none.
    if (address.find('#') != std::string_view::npos) return;
    std::string url = hyco::reject_url(address, verdict->status, d);
    require(url.starts_with(address), "the address is extended, not rewritten");
    std::string_view query = std::string_view(url).substr(url.find('?') + 1);
    auto params = hyco::http::parse_query(query);
    require(params.size() >= 2, "both parameters are there");
    std::vector<hyco::http::QueryParam> last(params.end() - 2, params.end());
    require(hyco::http::query_value(last, "sb-hc-statusCode") == std::to_string(verdict->status),
            "the relay reads back the status");
    require(hyco::http::query_value(last, "sb-hc-statusDescription") == d, "the relay reads back the description");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string_view entity = take_field(in);
    std::string_view verdict = take_field(in);
    std::vector<std::string> supported;
    for (std::string_view s : hyco::text::split(take_field(in), ','))
        if (!s.empty()) supported.emplace_back(s);
    auto msg = hyco::control::parse(in);
    if (!msg) return 0;
    const auto* accept = std::get_if<hyco::control::Accept>(&*msg);
    if (!accept) return 0;
    check_info(*accept, entity, supported);
    check_reject(accept->address, verdict);
    return 0;
}
