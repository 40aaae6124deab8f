// Control-channel behaviour. Invalid JSON and unknown commands from a
// listener are logged and ignored rather than fatal: real listeners are
// tolerant in the same way, and a relay that hangs up is harder to debug.
#include "tools/hyco-relay/listener_channel.h"

#include <fmt/format.h>

#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "tools/hyco-relay/auth.h"
#include "tools/hyco-relay/exchange.h"
#include "tools/hyco-relay/context.h"
#include "tools/hyco-relay/ws_bridge.h"

namespace hyco::relay {

ListenerChannel::ListenerChannel(Conn& conn, std::string entity, std::string listener_id, std::string request_host,
                               std::int64_t token_expiry)
    : ResponseReader(conn, control::kMaxMessageSize), entity_(std::move(entity)),
      listener_id_(std::move(listener_id)), request_host_(std::move(request_host)), expiry_(token_expiry),
      expiry_timer_(std::make_unique<Timer>(conn.relay.loop())),
      idle_timer_(std::make_unique<Timer>(conn.relay.loop())), last_heard_(std::chrono::steady_clock::now()) {
    arm_expiry();
    arm_idle(conn.relay.config().idle_timeout);
}

ListenerChannel::~ListenerChannel() = default;

void ListenerChannel::arm_expiry() {
    std::int64_t now_ms = unix_now() * 1000;
    auto due = std::chrono::milliseconds(expiry_ * 1000 - now_ms) + conn_.relay.config().token_grace;
    if (due.count() < 1) due = std::chrono::milliseconds(1);
    expiry_timer_->start(due, [this] {
        conn_.relay.log(fmt::format("{}: token expired without renewal; closing with 1008", conn_.label));
        conn_.ws_close(ws::close_code::policy_violation, "The token has expired and was not renewed.");
        conn_.finish();
    });
}

void ListenerChannel::on_input(Conn& conn) {
    // Any bytes count, keep-alive Ping or Pong included. The timer is not
    // re-armed here on every read; when it fires it looks at last_heard_.
    last_heard_ = std::chrono::steady_clock::now();
    ResponseReader::on_input(conn);
}

void ListenerChannel::arm_idle(std::chrono::milliseconds delay) {
    auto limit = conn_.relay.config().idle_timeout;
    if (limit.count() <= 0) return;
    idle_timer_->start(delay, [this, limit] {
        auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                          last_heard_);
        if (quiet < limit) return arm_idle(limit - quiet);
        conn_.relay.log(fmt::format("{}: nothing received for {}; closing with 1001", conn_.label,
                                    format_duration(std::chrono::duration_cast<std::chrono::seconds>(limit))));
        conn_.ws_close(ws::close_code::going_away, "The control channel was idle; send keep-alive frames.");
        conn_.finish();
    });
}

void ListenerChannel::send(const control::Message& message, const std::string* body) {
    std::string text = control::serialize(message);
    if (conn_.relay.is_verbose())
        conn_.relay.verbose(fmt::format("{}: -> {}", conn_.label, sas::redact_in(text)));
    conn_.ws_frame(ws::Opcode::text, true, std::move(text));
    if (body) conn_.ws_frame(ws::Opcode::binary, true, *body);
}

void ListenerChannel::on_text(std::string message) {
    auto parsed = read_message(message);
    if (!parsed) return;
    if (const auto* r = std::get_if<control::RenewToken>(&*parsed)) {
        renew(r->token);
    } else if (const auto* resp = std::get_if<control::Response>(&*parsed)) {
        untrack(resp->request_id);
        handle_response(*resp);
    } else {
        conn_.relay.log(fmt::format("{}: ignoring '{}' (only the relay sends it)", conn_.label,
                                    control::command_name(*parsed)));
    }
}

void ListenerChannel::renew(const std::string& token) {
    AuthResult a = check_token(conn_.relay.config(), token, entity_, request_host_, kListen, unix_now());
    if (!a.ok()) {
        conn_.relay.log(fmt::format("{}: renewToken refused: {}", conn_.label, a.refused->reason));
        conn_.ws_close(ws::close_code::policy_violation, "renewToken refused: " + a.refused->reason);
        conn_.finish();
        return;
    }
    expiry_ = a.token->expiry;
    arm_expiry();
    conn_.relay.verbose(fmt::format("{}: token renewed until {}", conn_.label, format_utc(expiry_)));
}

void ListenerChannel::on_closed(Conn&) {
    expiry_timer_->cancel();
    idle_timer_->cancel();
    conn_.relay.registry().remove_listener(entity_, conn_.id);
    std::set<std::string> pending;
    pending.swap(exchanges_);
    for (const std::string& id : pending)
        if (Exchange* x = conn_.relay.registry().exchange(id)) x->on_channel_lost(conn_.id);
    for (std::uint64_t sender : conn_.relay.registry().senders_waiting_on(conn_.id))
        if (Conn* c = conn_.relay.find(sender))
            if (auto* held = c->role<PendingSender>()) held->listener_gone();
}

}  // namespace hyco::relay
