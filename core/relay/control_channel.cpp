// Control channel upkeep (see control_channel.h).
#include "core/relay/control_channel.h"

#include <fmt/format.h>

#include "core/auth/crypto.h"
#include "core/auth/sas.h"
#include "core/base/duration.h"
#include "core/base/text.h"
#include "core/io/tls_client.h"
#include "core/relay/relay_errors.h"

namespace hyco {

ControlChannel::ControlChannel(EventLoop& loop, Events& events, RelayTarget target, ClientOptions options,
                               Keepalive keepalive)
    : loop_(loop),
      events_(events),
      target_(std::move(target)),
      options_(std::move(options)),
      keepalive_(keepalive),
      id_(crypto::uuid4()),
      retry_timer_(loop),
      renew_timer_(loop) {}

ControlChannel::~ControlChannel() = default;

void ControlChannel::start() { connect(); }

void ControlChannel::connect() {
    if (stopping_) return;
    // A pre-issued token cannot be renewed: once expired, no attempt can succeed.
    const Credentials& c = target_.credentials;
    std::int64_t now = unix_now();
    if (std::int64_t exp = c.can_mint() ? 0 : c.expiry_for(now); exp > 0 && exp <= now)
        return give_up(make_error(Exit::token_expired, "listen on " + target_.entity,
                                  fmt::format("the pre-issued token expired at {} and cannot be renewed; give a key "
                                              "to mint tokens from, or a fresh token",
                                              format_utc(exp))));
    UriParams params;
    params.id = id_;
    // A fresh token on every attempt: a reconnect never reuses an expired one.
    WsTarget t = relay_ws_target(target_, Action::listen, params, options_, now);
    WsTimeouts timeouts = options_.timeouts;
    timeouts.ping_interval = keepalive_.interval;
    timeouts.keepalive_frame = keepalive_.frame;
    message_.clear();
    awaiting_body_.reset();
    ++generation_;
    if (connected_once_ || backoff_.attempts() > 0) events_.channel_reconnecting(backoff_.attempts());
    ws_ = std::make_unique<WsClient>(loop_, *this, std::move(t), timeouts);
    events_.channel_log("connecting to " + sas::redact_in(ws_->target().url()) +
                        loop_.proxy().via(ws_->target().host, ws_->target().tls));
    ws_->connect();
}

void ControlChannel::stop() {
    stopping_ = true;
    retry_timer_.cancel();
    renew_timer_.cancel();
    if (ws_) {
        if (ws_->is_open()) ws_->finish(1000, "Normal Closure");
        else ws_->abort();
    }
}

void ControlChannel::renew() {
    const Credentials& c = target_.credentials;
    if (!c.can_mint() || !ws_ || !ws_->is_open()) return;
    auto token = c.token_for(target_.ns, target_.entity, unix_now());
    if (!token) return;
    ws_->send_text(control::serialize(control::RenewToken{*token}));
    events_.channel_renewed();
    // Renew at 80 % of the lifetime, well before the relay's deadline.
    auto every = std::chrono::duration_cast<std::chrono::milliseconds>(c.ttl) * 8 / 10;
    renew_timer_.start(every, [this] { renew(); });
}

void ControlChannel::give_up(const Error& why) {
    stopping_ = true;
    retry_timer_.cancel();
    renew_timer_.cancel();
    events_.channel_fatal(why);
}

void ControlChannel::ws_open(WsClient&) {
    // The ladder restarts when this connection has lasted (ws_closed), not
    // now: a relay that accepts and drops at once must not be hammered.
    online_since_ = pacing_.now();
    connected_once_ = true;
    const Credentials& c = target_.credentials;
    if (c.can_mint()) {
        auto every = std::chrono::duration_cast<std::chrono::milliseconds>(c.ttl) * 8 / 10;
        renew_timer_.start(every, [this] { renew(); });
    } else if (auto exp = c.expiry_for(unix_now()); exp > 0) {
        events_.channel_log(fmt::format("the pre-issued token expires at {}; it cannot be renewed",
                                        format_utc(exp)));
    }
    events_.channel_online();
}

void ControlChannel::ws_data(WsClient&, std::string_view piece, bool final, bool binary) {
    // Reassemble by bytes: a message may arrive in several pieces.
    if (message_.empty()) message_binary_ = binary;
    if (message_.size() + piece.size() > control::kMaxMessageSize) message_too_big_ = true;
    else message_.append(piece);
    if (!final) return;
    std::string text = std::move(message_);
    message_.clear();
    bool too_big = message_too_big_;
    message_too_big_ = false;
    if (awaiting_body_) {
        // The message after a request with "body":true is its body, whole.
        control::Request r = std::move(*awaiting_body_);
        awaiting_body_.reset();
        if (!message_binary_ || too_big) {
            events_.channel_log("a request's body message was missing or over 64 KiB; answering 400");
            control::Response resp;
            resp.request_id = r.id;
            resp.status_code = 400;
            resp.status_description = "Bad Request: the body did not arrive as one binary message";
            respond(generation_, resp, nullptr);
            if (message_binary_) return;
        } else {
            events_.channel_request(r, std::move(text));
            return;
        }
    }
    if (!message_binary_ && !too_big) handle_message(text);
}

bool ControlChannel::respond(std::uint64_t generation, const control::Response& response, const std::string* body) {
    if (generation != generation_ || !ws_ || !ws_->is_open() || ws_->close_sent()) return false;
    ws_->send_text(control::serialize(response));
    if (body) ws_->send(Fragment{*body, true, true, true});
    return true;
}

void ControlChannel::handle_message(const std::string& text) {
    auto msg = control::parse(text);
    if (!msg) {
        events_.channel_log("ignoring a control message: " + msg.error().message());
        return;
    }
    if (auto* a = std::get_if<control::Accept>(&*msg)) {
        events_.channel_accept(*a);
    } else if (auto* r = std::get_if<control::Request>(&*msg)) {
        if (!r->is_pointer() && r->body) awaiting_body_ = std::move(*r);
        else events_.channel_request(*r, {});
    }
}

void ControlChannel::ws_closed(WsClient&, const WsClose& close) {
    renew_timer_.cancel();
    // Destroy the client after this callback; then retry or stop.
    std::shared_ptr<WsClient> dying(ws_.release());
    loop_.defer([dying] {});
    if (stopping_) return;
    std::string what = "control channel";
    Error why;
    bool fatal = false;
    if (!close.established) {
        why = listener_connect_error(close, "listen on " + target_.entity, fatal);
        // Refused credentials on the very first attempt are a mistake to
        // report (exit 3), not a condition to wait out; later (a quota, a
        // clock) they may pass.
        if (!connected_once_ && (close.http_status == 401 || close.http_status == 403)) fatal = true;
        // So is a certificate we do not trust: only a --ca or a fixed relay helps.
        if (!connected_once_ && close.http_status <= 0 && is_certificate_failure(why)) fatal = true;
        // And a proxy's 407: its credentials are wrong until the user fixes them.
        if (!connected_once_ && close.http_status <= 0 && why.code == Exit::auth) fatal = true;
    } else if (close.kind == WsClose::Kind::peer) {
        why = make_error(Exit::failure, what,
                         fmt::format("the relay closed it with code {}{}{}", close.code,
                                     close.reason.empty() ? "" : ": ", text::printable(close.reason)));
    } else {
        why = close.error ? *close.error : make_error(Exit::failure, what, "closed");
    }
    if (close.established)
        backoff_.dropped_after(std::chrono::duration_cast<std::chrono::milliseconds>(
            pacing_.now() - online_since_));
    if (fatal) return give_up(why);
    auto delay = backoff_.next();
    events_.channel_offline(why, delay);
    retry_timer_.start(pacing_.wait(delay), [this] { connect(); });
}

}  // namespace hyco
