// The copier between a byte stream and a WebSocket (see session.h).
#include "core/session.h"

#include <unistd.h>

#include <fmt/format.h>

namespace hyco {

Status close_status(const WsClose& close, const std::string& what) {
    switch (close.kind) {
    case WsClose::Kind::ours:
        return {};
    case WsClose::Kind::peer:
        if (close.code == 1000 || close.code == 1001 || close.code == 1005) return {};
        return make_error(Exit::failure, what,
                          fmt::format("the peer closed the connection with code {}{}{}", close.code,
                                      close.reason.empty() ? "" : ": ", close.reason));
    case WsClose::Kind::failed:
        break;
    }
    if (close.error) return *close.error;
    return make_error(Exit::failure, what, "the connection failed");
}

Session::Session(EventLoop& loop, SessionOptions options, WsTarget target, WsTimeouts timeouts, int read_fd,
                 int write_fd, std::string endpoint_name, Done on_done)
    : loop_(loop),
      options_(options),
      stream_(std::make_unique<FdStream>(loop, *this, options.read_input ? read_fd : -1, write_fd,
                                         std::move(endpoint_name))),
      ws_(std::make_unique<WsClient>(loop, *this, std::move(target), timeouts)),
      splitter_(options.framing),
      on_done_(std::move(on_done)),
      linger_(loop) {
    if (!options.read_input && read_fd >= 0) ::close(read_fd);
}

Session::~Session() = default;

Status Session::start() {
    if (auto st = stream_->start(); !st) return st;
    stream_->pause(true);  // nothing to send to until the WebSocket is open
    ws_->connect();
    return {};
}

void Session::send_message(std::string text, bool binary) {
    pending_messages_.push_back(Fragment{std::move(text), binary, true, true});
    if (ws_->is_open()) send_fragments(pending_messages_);
}

void Session::send_fragments(std::vector<Fragment>& fragments) {
    for (Fragment& f : fragments) {
        if (options_.tap) options_.tap(true, f.data);
        counters_.bytes_out += f.data.size();
        ws_->send(std::move(f));
    }
    fragments.clear();
    if (!ws_->writable()) stream_->pause(true);
}

void Session::finish() { conclude(); }

void Session::conclude() {
    if (concluded_) return;
    concluded_ = true;
    input_ended_ = true;  // on purpose: the rest of the input is not owed to the peer
    stream_->close_read();
    stream_->close_write();
    if (!ws_->is_open()) {
        ws_->abort();
        return;
    }
    if (!ws_->close_sent()) ws_->finish(1000);
    // A peer that keeps talking must not keep us: ours is the last word.
    linger_.cancel();
    linger_.start(options_.linger.count() > 0 ? options_.linger : std::chrono::milliseconds(2000),
                  [this] { ws_->abort(); });
}

void Session::interrupt() {
    input_ended_ = true;
    stream_->close_read();
    if (!ws_->is_open()) {
        ws_->abort();
        return;
    }
    ws_->finish(1000, "interrupted");
    linger_.start(std::chrono::milliseconds(1500), [this] { ws_->abort(); });
}

void Session::begin_close() {
    if (ws_->close_sent() || linger_.pending()) return;
    ws_->finish(1000);
    if (options_.linger.count() > 0) linger_.start(options_.linger, [this] { ws_->abort(); });
}

void Session::stream_data(FdStream&, std::string_view bytes) {
    std::vector<Fragment> fragments;
    splitter_.feed(bytes, fragments);
    send_fragments(fragments);
}

void Session::stream_eof(FdStream&) {
    input_ended_ = true;
    std::vector<Fragment> fragments;
    splitter_.finish(fragments);
    send_fragments(fragments);
    // Once the peer has closed, our end of input is the end of the
    // conversation whatever the options.
    bool receive_only = options_.empty_input_receives && stream_->bytes_read() == 0;
    if (ws_->peer_closed() || (options_.close_on_eof && options_.read_input && !receive_only)) begin_close();
}

void Session::stream_read_failed(FdStream&, const Error& error) {
    // A truncated input must not look like a complete one to either side:
    // the peer gets an error close, we report the read error.
    input_ended_ = true;
    if (!failure_) failure_ = error;
    stream_->close_read();
    if (!ws_->is_open()) {
        ws_->abort();
        return;
    }
    ws_->finish(1011, "the sender's input failed");
    linger_.cancel();
    linger_.start(std::chrono::milliseconds(2000), [this] { ws_->abort(); });
}

void Session::stream_drained(FdStream&) { ws_->receive(true); }

void Session::stream_write_closed(FdStream&, const Error* error) {
    output_done_ = true;
    if (error) failure_ = *error;
    // Nothing to hold back for any more: what still arrives is discarded,
    // and reading on is how the peer's Close is found.
    ws_->receive(true);
    if (ws_result_ || (!error && (!options_.output_close_ends || ws_->peer_closed()))) {
        // A child that closed its stdin may still be writing its answer,
        // and after the peer's Close our input may still be flowing: the
        // end of that input ends the session.
        maybe_done();
        return;
    }
    // Nobody reads our output any more (EPIPE is a normal end): stop.
    input_ended_ = true;
    stream_->close_read();
    if (ws_->is_open()) begin_close();
    else ws_->abort();
    maybe_done();
}

void Session::ws_open(WsClient&) {
    if (!pending_messages_.empty()) send_fragments(pending_messages_);
    if (!input_ended_) stream_->pause(!ws_->writable());
    if (on_open_) on_open_();
}

void Session::ws_data(WsClient&, std::string_view piece, bool final, bool) {
    if (output_done_ || concluded_) return;
    if (options_.tap) options_.tap(false, piece);
    std::string out;
    out.reserve(piece.size() + 1);
    append_incoming(options_.framing, piece, final, out);
    counters_.bytes_in += piece.size();
    stream_->write(out);
    if (final) {
        ++counters_.messages_in;
        if (options_.max_messages && counters_.messages_in >= options_.max_messages) {
            conclude();
            return;
        }
    }
    if (!stream_->writable()) ws_->receive(false);
}

void Session::ws_drained(WsClient&) {
    if (!input_ended_) stream_->pause(false);
}

void Session::ws_peer_closed(WsClient&, int code, const std::string&) {
    // The peer sends no more: flush what arrived and give the consumer its
    // EOF, but keep sending our input until it ends (half-close).
    stream_->close_write();
    if (code != 1000 && code != 1005) {
        // Not a half-close: the peer went away (1001) or failed. Stop and
        // answer; ws_closed() judges whether our input was cut short.
        stream_->close_read();
        ws_->finish(code);
        return;
    }
    if (input_ended_ || !options_.read_input) begin_close();
}

void Session::ws_closed(WsClient&, const WsClose& close) {
    linger_.cancel();
    last_close_ = close;
    ws_result_ = close_status(close, "connection");
    if (close.kind == WsClose::Kind::peer && close.code == 1001 && options_.read_input && !input_ended_)
        ws_result_ = make_error(Exit::failure, "connection",
                                fmt::format("the peer went away (1001{}{}) before all of our input was sent",
                                            close.reason.empty() ? "" : ": ", close.reason));
    stream_->close_read();
    stream_->close_write();  // flush what arrived, then EOF for the consumer
    maybe_done();
}

void Session::maybe_done() {
    if (done_ || !ws_result_ || !output_done_ || ws_->is_open()) return;
    done_ = true;
    Status st = failure_ ? Status(*failure_) : *ws_result_;
    loop_.defer([this, st] { on_done_(*this, st); });
}

}  // namespace hyco
