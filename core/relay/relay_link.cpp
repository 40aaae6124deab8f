// The one end-of-stream policy over one WebSocket (see relay_link.h).
#include "core/relay/relay_link.h"

#include <fmt/format.h>

#include "core/base/text.h"
#include "core/stream/progress.h"

namespace hyco {

RelayLink::RelayLink(EventLoop& loop, Events& events, WsTarget target, WsTimeouts timeouts, std::string what)
    : events_(events), what_(std::move(what)) {
    WsClient::Events& self = *this;
    ws_ = std::make_unique<WsClient>(loop, self, std::move(target), timeouts);
}

RelayLink::~RelayLink() = default;

void RelayLink::connect() { ws_->connect(); }

std::string RelayLink::subprotocol() const {
    const std::string& s = ws_->subprotocol();
    return eos::is_internal(s) ? std::string() : s;
}

void RelayLink::send(Fragment f) {
    if (end_requested_) return;
    sent_ += f.data.size();
    if (!ws_->is_open()) {
        // How data travels depends on the mode, known once the peer answered.
        early_.push_back(std::move(f));
        return;
    }
    if (records_) f.binary = true;
    ws_->send(std::move(f));
}

void RelayLink::end_output(std::optional<eos::RemoteExit> exit) {
    if (end_requested_) return;
    end_requested_ = true;
    if (!ws_->is_open()) {
        // The mode is known only once the peer answered: ws_open() finishes this.
        pending_exit_ = exit;
        return;
    }
    if (!records_) {
        ws_->finish(1000);
        return;
    }
    ws_->send_text(eos::encode({eos::Record::Kind::end, sent_, exit}));
    maybe_close();
}

void RelayLink::send_ack() {
    ack_sent_ = true;
    if (!ws_->close_sent()) ws_->send_text(eos::encode({eos::Record::Kind::ack, received_, std::nullopt}));
}

void RelayLink::delivered() {
    if (!records_ || !input_ended_ || ack_sent_ || discarding_) return;
    send_ack();
    maybe_close();
}

void RelayLink::discard_input() {
    discarding_ = true;
    ws_->receive(true);
    maybe_close();
}

void RelayLink::conclude() {
    // The peer learns how much of its data we took before stopping.
    if (records_ && !ack_sent_ && !discarding_ && ws_->is_open()) send_ack();
    concluded_ = true;
    end_requested_ = true;
    ws_->finish(1000);
}

void RelayLink::fail(Error why, int code, std::string reason) {
    set_failure(std::move(why));
    end_requested_ = true;
    ws_->finish(code, std::move(reason));
}

void RelayLink::abort(std::optional<Error> why) {
    if (why) set_failure(*why);
    ws_->abort(std::move(why));
}

void RelayLink::set_failure(Error e) {
    if (!failure_) failure_ = std::move(e);
}

void RelayLink::maybe_close() {
    // Both of our records are out (or owed to nobody) and the peer confirmed
    // ours: nothing more to say. A peer that closed first still reads our
    // acknowledgement, which our Close follows.
    if (!records_ || !end_requested_) return;
    bool peer_closed = ws_->peer_closed();
    if ((ack_sent_ || discarding_ || peer_closed) && (peer_ack_ || peer_closed)) ws_->finish(1000);
}

void RelayLink::ws_open(WsClient&) {
    records_ = ws_->subprotocol() == eos::kRecords;
    for (Fragment& f : early_) {
        if (records_) f.binary = true;
        ws_->send(std::move(f));
    }
    early_.clear();
    if (end_requested_ && !concluded_ && !failure_) {
        end_requested_ = false;
        end_output(pending_exit_);
    }
    events_.link_open(*this);
}

void RelayLink::ws_data(WsClient&, std::string_view piece, bool final, bool binary) {
    if (records_ && !binary) {
        if (record_.size() + piece.size() > eos::kMaxRecord) return protocol_error("an oversized end record");
        record_.append(piece);
        if (final) {
            std::string text = std::move(record_);
            record_.clear();
            on_record(text);
        }
        return;
    }
    if (records_ && input_ended_) return protocol_error("data after the end record");
    received_ += piece.size();
    if (!discarding_) events_.link_data(*this, piece, final);
}

void RelayLink::on_record(std::string_view text) {
    auto r = eos::decode(text);
    if (!r) return protocol_error(r.error().why + " in an end record");
    if (r->kind == eos::Record::Kind::ack) {
        // Normally the answer to our end record; earlier, the peer stopped
        // reading on purpose (a message limit) after what it confirms.
        if (peer_ack_ || r->bytes > sent_) return protocol_error("an unexpected acknowledgement");
        peer_ack_ = r->bytes;
        maybe_close();
        return;
    }
    if (input_ended_) return protocol_error("a second end record");
    if (r->bytes != received_) {
        set_failure(make_error(Exit::failure, what_,
                               fmt::format("the peer sent {} byte{} but {} arrived", r->bytes, r->bytes == 1 ? "" : "s", received_)));
        ws_->finish(1002, "byte count mismatch");
        return;
    }
    input_ended_ = true;
    remote_exit_ = r->exit;
    if (!discarding_) events_.link_input_end(*this);
}

void RelayLink::protocol_error(std::string why) {
    set_failure(make_error(Exit::failure, what_, "protocol error: " + why));
    ws_->finish(1002, "protocol error");
}

void RelayLink::ws_drained(WsClient&) { events_.link_drained(*this); }

void RelayLink::ws_peer_closed(WsClient&, int code, const std::string&) {
    if (!eos::is_normal_close(code)) {
        ws_->finish(code);  // answer; the verdict names the code
        return;
    }
    if (records_) {
        // A hyco peer closes only after its records: whatever is missing now
        // stays missing. Only our acknowledgement of its data, if it is on
        // its way, still goes out before our Close.
        if (input_ended_ && !ack_sent_ && !discarding_ && end_requested_) return;
        ws_->finish(1000);
        return;
    }
    // Half-close: the peer sends no more; our data may still flow.
    if (input_ended_) return;
    input_ended_ = true;
    events_.link_input_end(*this);
}

std::string RelayLink::missing() const {
    bool in_ok = input_ended_ || discarding_ || concluded_;
    if (!in_ok) {
        std::string unconfirmed = !peer_ack_ && sent_ > 0
                                      ? fmt::format(", and {} of ours went unconfirmed", format_bytes(sent_))
                                      : std::string();
        return fmt::format("the stream ended after {} without its end record: the peer vanished{}",
                           format_bytes(received_), unconfirmed);
    }
    if (peer_ack_ && *peer_ack_ < sent_)
        return fmt::format("the peer stopped reading after {} of our {}", format_bytes(*peer_ack_), format_bytes(sent_));
    if (!end_requested_) return fmt::format("the peer stopped receiving after {} of our data", format_bytes(sent_));
    return fmt::format("the peer did not confirm that our {} arrived", format_bytes(sent_));
}

Status RelayLink::verdict(const WsClose& close) const {
    if (failure_) return *failure_;
    if (!close.established) {
        if (close.error) return *close.error;
        return make_error(Exit::failure, what_, "the connection failed");
    }
    auto peer_code_error = [&](const char* how) -> std::optional<Error> {
        if (close.code == 0 || eos::is_normal_close(close.code)) return std::nullopt;
        return make_error(Exit::failure, what_,
                          fmt::format("the peer {} code {}{}{}", how, close.code, close.reason.empty() ? "" : ": ",
                                      text::printable(close.reason)));
    };
    if (records_) {
        bool in_ok = input_ended_ || discarding_ || concluded_;
        bool out_ok = (end_requested_ && peer_ack_ && *peer_ack_ == sent_) || concluded_;
        // As ssh does: once the peer's command status is known, it speaks
        // for the conversation (the command read what it wanted).
        if (in_ok && remote_exit_ && !concluded_) {
            if (remote_exit_->exit_status() == 0) return {};
            return make_error(static_cast<Exit>(remote_exit_->exit_status()), "the remote command",
                              remote_exit_->describe());
        }
        if (in_ok && out_ok) return {};
        if (close.kind == WsClose::Kind::peer) {
            if (auto e = peer_code_error("closed the connection with")) return *e;
            if (close.code != 0)
                return make_error(Exit::failure, what_,
                                  fmt::format("{} (close {}{}{})", missing(), close.code,
                                              close.reason.empty() ? "" : ": ", text::printable(close.reason)));
        }
        if (close.kind == WsClose::Kind::failed && close.error)
            return make_error(close.error->code, what_, close.error->why + "; " + missing());
        return make_error(Exit::failure, what_, missing());
    }
    switch (close.kind) {
    case WsClose::Kind::peer:
        if (auto e = peer_code_error("closed the connection with")) return *e;
        return {};
    case WsClose::Kind::ours:
        if (auto e = peer_code_error("answered our Close with")) return *e;
        return {};
    case WsClose::Kind::failed:
        break;
    }
    if (close.error) return make_error(close.error->code, what_, "relay connection lost: " + close.error->why);
    return make_error(Exit::failure, what_, "the connection failed");
}

void RelayLink::ws_closed(WsClient&, const WsClose& close) { events_.link_closed(*this, close, verdict(close)); }

}  // namespace hyco
