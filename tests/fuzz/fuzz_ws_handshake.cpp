// Fuzz target: the client half of the WebSocket opening handshake. Input:
// our key (line 1), the subprotocols we offer (line 2, comma-separated),
// then the server's answer. What check_upgrade accepts must really agree
// to our key and offer; the upgrade request we write for those must parse
// as the request we meant; a correct 101 for them must be accepted.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/text.h"
#include "core/http/http_fields.h"
#include "core/http/http_request_head.h"
#include "core/http/http_response_head.h"
#include "core/ws/ws_client.h"
#include "core/ws/ws_frame.h"
#include "core/ws/ws_handshake.h"
#include "tests/fuzz/invariant.h"

namespace {

void check_answer(const hyco::HttpResponseHead& head, std::string_view key, const std::vector<std::string>& offered) {
    hyco::UpgradeAnswer a = hyco::check_upgrade(head, key, offered);
    require(a.ok != !a.error.empty(), "an answer is accepted or explained");
    for (const auto& [name, value] : hyco::failure_headers(head)) {
        const std::string* v = head.header(name);
        require(v && *v == value, "failure headers are the answer's own");
    }
    if (!a.ok) return;
    require(head.status == 101, "only a 101 upgrades");
    const std::string* accept = head.header("Sec-WebSocket-Accept");
    require(accept && *accept == hyco::ws::accept_key(key), "the accept hash is our key's");
    bool offered_it = a.subprotocol.empty();
    for (const auto& p : offered) offered_it = offered_it || p == a.subprotocol;
    require(offered_it, "the agreed subprotocol is one we offered");
    const std::string* ext = head.header("Sec-WebSocket-Extensions");
    require(!ext || ext->empty(), "no extension is agreed to");
}

/// Our own request and a textbook answer, for fields a real caller could
/// have (tokens; a key without line breaks).
void round_trip(std::string_view key, const std::vector<std::string>& offered) {
    if (key.empty() || hyco::http::has_bad_value_char(key) || hyco::http::trim_ows(key) != key) return;
    for (const auto& p : offered)
        if (!hyco::http::is_token(p)) return;
    hyco::WsTarget target;
    target.tls = false;
    target.host = "127.0.0.1";
    target.port = 8080;
    target.path = "/$hc/e?sb-hc-action=connect";
    target.subprotocols = offered;
    std::string request = hyco::upgrade_request(target, key);
    auto parsed = hyco::http::parse_request_head(request);
    require(parsed.state == hyco::http::HeadResult::State::complete, "our upgrade request parses");
    const auto& req = parsed.request;
    require(req.head_size == request.size() && req.method == "GET" && req.target == target.path,
            "our request line is what we meant");
    const std::string* sent_key = req.header("Sec-WebSocket-Key");
    require(sent_key && *sent_key == key, "our key goes out unchanged");
    auto protocols = req.joined("Sec-WebSocket-Protocol");
    require(protocols.has_value() == !offered.empty(), "subprotocols are offered when we have some");

    std::string answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: " + hyco::ws::accept_key(key) + "\r\n";
    if (!offered.empty()) answer += "Sec-WebSocket-Protocol: " + offered.back() + "\r\n";
    auto head = hyco::parse_response_head(answer + "\r\n");
    require(head.state == hyco::ResponseHeadResult::State::complete, "a textbook 101 parses");
    auto a = hyco::check_upgrade(head.head, key, offered);
    require(a.ok && a.subprotocol == (offered.empty() ? "" : offered.back()), "a textbook 101 is accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string_view key = take_field(in);
    std::vector<std::string> offered;
    for (std::string_view p : hyco::text::split(take_field(in), ','))
        if (!p.empty()) offered.emplace_back(p);
    round_trip(key, offered);
    auto r = hyco::parse_response_head(in);
    if (r.state == hyco::ResponseHeadResult::State::complete) check_answer(r.head, key, offered);
    return 0;
}
