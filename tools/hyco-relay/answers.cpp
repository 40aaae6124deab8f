#include "tools/hyco-relay/answers.h"

#include <memory>

#include <fmt/format.h>

#include "tools/hyco-relay/http_response.h"
#include "tools/hyco-relay/context.h"

namespace hyco::relay {
namespace {

/// Swallows input after a final answer.
class Discard : public Handler {
public:
    void on_input(Conn& conn) override { conn.in.clear(); }
    const char* kind() const override { return "closing"; }
};

}  // namespace

void answer_and_close(Conn& conn, std::string_view response) {
    conn.write(response);
    conn.set_handler(std::make_unique<Discard>());
    conn.finish();
}

void refuse(Conn& conn, int status, const std::string& reason, bool head_only) {
    conn.relay.verbose(fmt::format("{}: refused {} {}", conn.label, status, reason));
    answer_and_close(conn, error_response(status, reason, head_only));
}

void refuse(Conn& conn, const http::Refusal& refusal, bool head_only) {
    refuse(conn, refusal.status, refusal.reason, head_only);
}

void refuse_busy(Conn& conn, const std::string& entity, bool head_only) {
    conn.relay.verbose(fmt::format("{}: refused 503: the listeners of '{}' do not read their control channels",
                                   conn.label, entity));
    answer_and_close(conn, error_response(503,
                                          fmt::format("ServerBusy: the listeners of '{}' are not reading their "
                                                      "control channels; retry later.",
                                                      entity),
                                          head_only, "Retry-After: 5\r\n"));
}

}  // namespace hyco::relay
