// Response routing. Binary messages nobody waits for are dropped: node
// listeners send an empty one after every body-less response.
#include "tools/hyco-relay/response_reader.h"

#include <fmt/format.h>

#include "core/auth/sas.h"

#include "tools/hyco-relay/exchange.h"
#include "tools/hyco-relay/context.h"

namespace hyco::relay {

void ResponseReader::handle_response(const control::Response& r) {
    end_awaited_body();
    Exchange* x = conn_.relay.registry().exchange(r.request_id);
    if (!x) {
        conn_.relay.verbose(fmt::format("{}: response for unknown or finished request {}", conn_.label, r.request_id));
    } else {
        x->on_response(r, conn_);
    }
    if (r.body) body_for_ = r.request_id;
}

std::optional<control::Message> ResponseReader::read_message(const std::string& text) {
    end_awaited_body();
    if (conn_.relay.is_verbose())
        conn_.relay.verbose(fmt::format("{}: <- {}", conn_.label, sas::redact_in(text.substr(0, 2048))));
    auto parsed = control::parse(text);
    if (!parsed) {
        conn_.relay.log(fmt::format("{}: ignoring a message: {}", conn_.label, parsed.error().message()));
        return std::nullopt;
    }
    return std::move(*parsed);
}

void ResponseReader::end_awaited_body() {
    if (body_for_.empty()) return;
    std::string id;
    id.swap(body_for_);
    if (Exchange* x = conn_.relay.registry().exchange(id)) x->on_body_end();
}

void ResponseReader::on_binary_data(std::string_view data) {
    if (body_for_.empty()) return;
    if (Exchange* x = conn_.relay.registry().exchange(body_for_)) x->on_body_data(data, conn_);
}

void ResponseReader::on_binary_end() { end_awaited_body(); }

}  // namespace hyco::relay
