// Fuzz target: the server half of the WebSocket opening handshake, as
// hyco-relay does it. An upgrade request it lets through must be one
// RFC 6455 allows, and the 101 it then writes (for the first subprotocol
// offered, as route_accept picks) must satisfy our own client's checks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/text.h"
#include "core/http/http_fields.h"
#include "core/http/http_response_head.h"
#include "core/ws/ws_handshake.h"
#include "tests/fuzz/invariant.h"
#include "tools/hyco-relay/http_request.h"
#include "tools/hyco-relay/http_response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto r = hyco::relay::parse_request_head(in);
    if (r.state != hyco::relay::HeadResult::State::complete) return 0;
    const auto& req = r.request;
    auto refusal = hyco::relay::check_upgrade(req);
    if (refusal) {
        require(refusal->status == 400 || refusal->status == 426, "a refused upgrade is a 400 or 426");
        return 0;
    }
    require(req.method == "GET" && req.minor_version == 1, "only GET over HTTP/1.1 upgrades");
    require(req.has_token("Upgrade", "websocket") && req.has_token("Connection", "upgrade"),
            "only an upgrade to websocket upgrades");
    const std::string* key = req.header("Sec-WebSocket-Key");
    require(key != nullptr, "an upgrade has a key");
    auto raw = hyco::text::base64_decode(hyco::text::trim(*key));
    require(raw && raw->size() == 16, "the key is 16 bytes of base64");

    std::string protocol;
    std::vector<std::string> offered;
    if (auto p = req.joined("Sec-WebSocket-Protocol")) {
        for (std::string_view s : hyco::text::split(*p, ','))
            if (auto t = hyco::text::trim(s); !t.empty()) offered.emplace_back(t);
        protocol = std::string(hyco::text::trim(hyco::text::split(*p, ',')[0]));
    }
    std::string answer = hyco::relay::upgrade_response(*key, protocol);
    auto head = hyco::parse_response_head(answer);
    require(head.state == hyco::ResponseHeadResult::State::complete && head.head.head_size == answer.size(),
            "the 101 is one well-formed head");
    auto agreed = hyco::check_upgrade(head.head, *key, offered);
    require(agreed.ok, "the client accepts the relay's 101");
    require(agreed.subprotocol == protocol, "both sides agree on the subprotocol");
    return 0;
}
