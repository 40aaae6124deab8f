// The copier between a byte stream and a relayed WebSocket (see session.h).
#include "core/stream/session.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/io/child_process.h"

namespace hyco {

Session::Session(EventLoop& loop, SessionOptions options, WsTarget target, WsTimeouts timeouts, int read_fd,
                 int write_fd, std::string endpoint_name, Done on_done)
    : loop_(loop),
      options_(options),
      stream_(std::make_unique<FdStream>(loop, *this, options.read_input ? read_fd : -1, write_fd,
                                         std::move(endpoint_name))),
      link_(std::make_unique<RelayLink>(loop, *this, std::move(target), timeouts, "connection")),
      splitter_(options.framing),
      text_check_(options.framing),
      on_done_(std::move(on_done)),
      linger_(loop),
      child_poll_(loop) {
    if (!options.read_input && read_fd >= 0) ::close(read_fd);
}

Session::~Session() = default;

Status Session::start() {
    if (auto st = stream_->start(); !st) return st;
    stream_->pause(true);  // nothing to send to until the WebSocket is open
    link_->connect();
    return {};
}

void Session::send_message(std::string text, bool binary) {
    counters_.bytes_out += text.size();
    pending_messages_.push_back(Fragment{std::move(text), binary, true, true});
    if (link_->is_open()) send_fragments(pending_messages_);
}

void Session::send_fragments(std::vector<Fragment>& fragments) {
    for (Fragment& f : fragments) {
        if (options_.tap) options_.tap(true, f.data);
        link_->send(std::move(f));
    }
    fragments.clear();
    if (!link_->writable()) stream_->pause(true);
}

void Session::finish() { conclude(); }

void Session::conclude() {
    if (concluded_) return;
    // An input that already ended (say </dev/null, not yet polled) still
    // gets its end record: only input we really cut short stays unconfirmed.
    if (!input_ended_ && link_->is_open() && link_->records()) stream_->read_ready();
    concluded_ = true;
    // What we had to say was said (the -m messages, or all of our input):
    // the peer learns that its end of the stream is complete.
    if (input_ended_ && !failure_) link_->end_output();
    input_ended_ = true;  // on purpose: the rest of the input is not owed to the peer
    stream_->close_read();
    stream_->close_write();
    if (!link_->is_open()) {
        link_->abort();
        return;
    }
    link_->conclude();
    // A peer that keeps talking must not keep us: ours is the last word.
    linger_.cancel();
    linger_.start(options_.linger.count() > 0 ? options_.linger : std::chrono::milliseconds(2000),
                  [this] { link_->abort(); });
}

void Session::interrupt() {
    input_ended_ = true;
    stream_->close_read();
    Error why = make_error(Exit::interrupted, "", "interrupted");
    if (!link_->is_open()) {
        link_->abort(why);
        return;
    }
    link_->fail(why, eos::kInterruptedCode, "interrupted");
    linger_.start(std::chrono::milliseconds(1500), [this] { link_->abort(); });
}

void Session::begin_close() {
    if (ending_) return;
    ending_ = true;
    if (options_.child > 0 && link_->records()) return await_child();
    link_->end_output();
    if (options_.linger.count() > 0) linger_.start(options_.linger, [this] { link_->abort(); });
}

void Session::await_child() {
    // The command closed its output; its exit status completes our side.
    if (auto ws = try_reap(options_.child)) {
        child_status_ = *ws;
        link_->end_output(eos::RemoteExit::from_wait_status(*ws));
        return;
    }
    // The command usually exits within a millisecond of closing its output,
    // and the sender waits for this status: poll soon, then back off.
    auto delay = child_poll_delay_;
    child_poll_delay_ = std::min(child_poll_delay_ * 2, std::chrono::milliseconds(16));
    child_poll_.start(delay, [this] { await_child(); });
}

void Session::input_failed(Error error, std::string close_reason) {
    // A truncated input must not look like a complete one to either side:
    // the peer gets an error close, we report the error.
    input_ended_ = true;
    if (!failure_) failure_ = error;
    stream_->close_read();
    if (!link_->is_open()) {
        link_->abort(error);
        return;
    }
    link_->fail(std::move(error), 1011, std::move(close_reason));
    linger_.cancel();
    linger_.start(std::chrono::milliseconds(2000), [this] { link_->abort(); });
}

void Session::stream_data(FdStream&, std::string_view bytes) {
    if (input_ended_) return;
    if (!link_->is_open()) {
        // Framing depends on the peer (exact bytes for a hyco peer): hold
        // what came before the answer.
        early_input_.append(bytes);
        stream_->pause(true);
        return;
    }
    if (auto bad = text_check_.feed(bytes))
        return input_failed(make_error(Exit::usage, "input",
                                       *bad + ": text mode sends UTF-8 text only; use -b (--binary) for other data"),
                            "the sender's input is not text");
    counters_.bytes_out += bytes.size();
    std::vector<Fragment> fragments;
    splitter_.feed(bytes, fragments);
    send_fragments(fragments);
}

void Session::stream_eof(FdStream& s) {
    if (input_ended_) return;
    if (!link_->is_open()) {
        early_eof_ = true;
        return;
    }
    if (!early_input_.empty()) stream_data(s, std::exchange(early_input_, {}));
    if (auto bad = text_check_.finish())
        return input_failed(make_error(Exit::usage, "input",
                                       *bad + ": text mode sends UTF-8 text only; use -b (--binary) for other data"),
                            "the sender's input is not text");
    input_ended_ = true;
    std::vector<Fragment> fragments;
    splitter_.finish(fragments);
    send_fragments(fragments);
    // Once the peer's data has ended, our end of input is the end of the
    // conversation whatever the options.
    bool receive_only = options_.empty_input_receives && stream_->bytes_read() == 0;
    if (link_->input_ended() || (options_.close_on_eof && options_.read_input && !receive_only)) return begin_close();
    // With records our end is a true half-close: say it now, so a peer that
    // stops early (a message limit) still learns our data was complete. A
    // command's end waits for its exit status (begin_close).
    if (link_->records() && options_.child <= 0) link_->end_output();
}

void Session::stream_read_failed(FdStream&, const Error& error) { input_failed(error, "the sender's input failed"); }

void Session::stream_drained(FdStream&) { link_->receive(true); }

void Session::stream_write_closed(FdStream&, const Error* error) {
    output_done_ = true;
    if (error) failure_ = *error;
    // Nothing to hold back for any more: what still arrives is discarded,
    // and reading on is how the peer's Close is found.
    link_->receive(true);
    const bool delivered = !error && output_closing_ && stream_->bytes_written() == handed_out_;
    if (delivered) link_->delivered();
    if (ws_result_ || delivered || (!error && !options_.output_close_ends)) {
        // A child that closed its stdin may still be writing its answer,
        // and after the peer's end our input may still be flowing: the end
        // of that input ends the session.
        if (!delivered && !ws_result_) link_->discard_input();
        maybe_done();
        return;
    }
    if (error) {
        input_failed(*error, "the receiver's output failed");
        maybe_done();
        return;
    }
    // Nobody reads our output any more (EPIPE is a normal end): stop.
    conclude();
    maybe_done();
}

void Session::link_open(RelayLink& link) {
    if (link.records()) {
        splitter_.set_exact(true);
        for (Fragment& f : pending_messages_) f.data.append(message_separator(options_.framing));
    }
    const bool scripted = !pending_messages_.empty();
    if (scripted) send_fragments(pending_messages_);
    if (!options_.read_input && scripted && link.records()) {
        // The messages are all of our data. (Receive-only without messages
        // ends our side when the peer's ends.)
        input_ended_ = true;
        begin_close();
    }
    if (!early_input_.empty()) stream_data(*stream_, std::exchange(early_input_, {}));
    if (early_eof_) stream_eof(*stream_);
    if (!input_ended_) stream_->pause(!link_->writable());
    if (on_open_) on_open_();
}

void Session::link_data(RelayLink& link, std::string_view piece, bool final) {
    if (output_done_ || concluded_) return;
    if (options_.tap) options_.tap(false, piece);
    // Straight into the endpoint's buffer: no string per message.
    stream_->write(piece);
    handed_out_ += piece.size();
    // Exact bytes carry the sender's separators; otherwise a message's end is one.
    if (final && !link.records()) {
        std::string_view sep = message_separator(options_.framing);
        stream_->write(sep);
        handed_out_ += sep.size();
    }
    counters_.bytes_in += piece.size();
    if (final) {
        ++counters_.messages_in;
        if (options_.max_messages && counters_.messages_in >= options_.max_messages) {
            conclude();
            return;
        }
    }
    if (!stream_->writable()) link_->receive(false);
}

void Session::link_drained(RelayLink&) {
    if (!input_ended_) stream_->pause(false);
}

void Session::link_input_end(RelayLink&) {
    // The peer sends no more: flush what arrived and give the consumer its
    // EOF, but keep sending our input until it ends (half-close).
    output_closing_ = true;
    stream_->close_write();
    if (input_ended_ || !options_.read_input) begin_close();
}

void Session::link_closed(RelayLink&, const WsClose& close, const Status& verdict) {
    linger_.cancel();
    child_poll_.cancel();
    last_close_ = close;
    ws_result_ = verdict;
    stream_->close_read();
    stream_->close_write();  // flush what arrived, then EOF for the consumer
    maybe_done();
}

void Session::maybe_done() {
    if (done_ || !ws_result_ || !output_done_ || link_->is_open()) return;
    done_ = true;
    Status st = failure_ ? Status(*failure_) : *ws_result_;
    loop_.defer([this, st] { on_done_(*this, st); });
}

}  // namespace hyco
