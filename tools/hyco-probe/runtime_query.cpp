// One HTTP/1.1 exchange, bounded: a 1 MiB answer at most, each read within
// the step's timeout (transport.h).
#include "tools/hyco-probe/runtime_query.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/base/text.h"
#include "core/http/http_response_head.h"
#include "core/relay/relay_errors.h"

namespace hyco::probe {
namespace {

constexpr const char* kStep = "runtime";
constexpr std::size_t kMaxAnswer = 1024 * 1024;

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

struct Answer {
    HttpResponseHead head;
    std::string body;
};

Result<Answer> fetch(Connection& conn, const std::string& request) {
    if (auto st = conn.write_all(request); !st) return st.error();
    std::string data;
    ResponseHeadResult parsed;
    for (;;) {
        auto n = conn.read_some(data);
        if (!n) return n.error();
        parsed = parse_response_head(data);
        if (parsed.state == ResponseHeadResult::State::error)
            return make_error(Exit::failure, "", "malformed answer: " + parsed.error);
        if (parsed.state == ResponseHeadResult::State::complete) break;
        if (*n == 0) return make_error(Exit::failure, "", "the relay closed the connection without an answer");
    }
    Answer a{parsed.head, data.substr(parsed.head.head_size)};
    std::size_t want = kMaxAnswer;
    if (const std::string* cl = a.head.header("Content-Length")) {
        std::size_t v = 0;
        auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), v);
        if (ec == std::errc() && p == cl->data() + cl->size()) want = std::min(v, kMaxAnswer);
    }
    while (a.body.size() < want) {
        auto n = conn.read_some(a.body);
        if (!n) return n.error();
        if (*n == 0) break;
    }
    return a;
}

}  // namespace

RuntimeOutcome query_runtime(Connection& conn, const RelayTarget& target, std::int64_t now, const LogSink& log) {
    auto token = target.credentials.token_for(target.ns, target.entity, now);
    if (!token) return {StepResult::skipped(kStep, "reading runtime information needs a key or token"), {}};
    std::string request = fmt::format(
        "GET /{}?api-version={} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nAccept: application/xml\r\n"
        "Connection: close\r\n\r\n",
        encode_entity_path(target.entity), kApiVersion, target.ns.authority(), *token);
    if (log) log(fmt::format("runtime: GET /{}?api-version={}", encode_entity_path(target.entity), kApiVersion));
    auto t0 = std::chrono::steady_clock::now();
    auto answer = fetch(conn, request);
    double ms = ms_since(t0);
    if (!answer) return {StepResult::failed(kStep, answer.error(), ms), {}};
    const HttpResponseHead& h = answer->head;
    std::string why = without_tracking(h.reason);
    if (auto d = error_detail(answer->body)) why = without_tracking(*d);
    std::string status = fmt::format("relay answered {} {}", h.status, why);
    if (h.status == 401 || h.status == 403)
        return {{kStep, Verdict::warn, ms, status + " (reading runtime information takes the Manage right)"}, {}};
    if (h.status == 404)
        return {StepResult::failed(kStep, make_error(Exit::not_found, "", status + " (no such entity)"), ms), {}};
    if (h.status != 200) return {StepResult::failed(kStep, make_error(Exit::failure, "", status), ms), {}};
    auto entry = parse_runtime_entry(answer->body);
    if (!entry) return {StepResult::failed(kStep, entry.error(), ms), {}};
    std::string detail =
        fmt::format("{} listener{}, senders {}", entry->listener_count, entry->listener_count == 1 ? "" : "s",
                    entry->requires_client_authorization ? "need a token" : "need no token");
    return {{kStep, Verdict::ok, ms, detail}, *entry};
}

}  // namespace hyco::probe
