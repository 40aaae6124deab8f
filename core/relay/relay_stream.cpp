// A relay WebSocket as a Stream (see relay_stream.h).
#include "core/relay/relay_stream.h"

#include <utility>

#include "core/base/text.h"
#include "core/relay/relay_errors.h"

namespace hyco {

RelayStream::RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what,
                         RelayStreamOptions options)
    : loop_(loop), what_(std::move(what)), options_(options), splitter_(options.framing),
      text_check_(options.framing), linger_(loop), finish_timer_(loop) {
    RelayLink::Events& self = *this;
    link_ = std::make_unique<RelayLink>(loop, self, std::move(target), timeouts, what_);
}

RelayStream::~RelayStream() {
    alive_.end();
    link_.reset();
}

void RelayStream::open(Stream::Events& events) {
    events_ = &events;
    // connect() can report a synchronous failure through link_closed(); keep
    // every event out of the copier's open() call.
    loop_.defer([this, alive = alive_.token()] {
        if (*alive) link_->connect();
    });
}

void RelayStream::write(std::string_view bytes) {
    if (closed_ || write_ended_ || failing_) return;
    written_ += bytes.size();
    if (options_.framing != Framing::binary) {
        if (auto bad = text_check_.feed(bytes)) return not_text(*bad);
    }
    if (options_.whole_writes) {
        Fragment f{std::string(bytes), options_.framing == Framing::binary, true, true};
        // Exact bytes between hyco peers: the separator travels with the message.
        if (link_->records()) f.data.append(message_separator(options_.framing));
        send(std::move(f));
        return;
    }
    if (options_.framing == Framing::binary) {
        // Each chunk read is one message: no splitter, no vector.
        send(Fragment{std::string(bytes), true, true, true});
        return;
    }
    splitter_.feed(bytes, fragments_);
    for (Fragment& f : fragments_) send(std::move(f));
    fragments_.clear();
}

void RelayStream::send(Fragment f) {
    if (tap_) tap_(true, f.data);
    link_->send(std::move(f));
}

bool RelayStream::writable() const { return closed_ || link_->writable(); }

void RelayStream::close_write() {
    if (closed_ || write_ended_ || failing_) return;
    if (options_.framing != Framing::binary && !options_.whole_writes) {
        if (auto bad = text_check_.finish()) return not_text(*bad);
        splitter_.finish(fragments_);
        for (Fragment& f : fragments_) send(std::move(f));
        fragments_.clear();
    }
    write_ended_ = true;
    // Without end records our Close would end the peer's direction too:
    // when asked, it waits until the peer's data ended.
    using Eoi = RelayStreamOptions::EndOfInput;
    end_held_ = !link_->input_ended() &&
                (options_.end_of_input == Eoi::after_peer ||
                 (!link_->records() && (options_.end_of_input == Eoi::hold ||
                                        (options_.end_of_input == Eoi::hold_if_empty && written_ == 0))));
    if (!end_held_) send_end();
    // From the copier's view this direction is done once our end is queued;
    // whether the peer confirmed it is the session's verdict (finish()).
    loop_.defer([this, alive = alive_.token()] {
        if (*alive && events_ && !finishing_) events_->write_end(*this);
    });
}

void RelayStream::send_end() {
    link_->end_output(exit_);
    if (options_.linger.count() > 0) linger_.start(options_.linger, [this] { link_->abort(); });
}

void RelayStream::not_text(const std::string& where) {
    fail_here(make_error(Exit::usage, "input", where + ": text mode sends UTF-8 text only; use -b (--binary) for other data"),
              "the sender's input is not text");
}

void RelayStream::fail_here(Error why, std::string reason) {
    // The peer must not mistake what went out for a whole stream: an
    // error Close, and the session fails with `why`.
    failing_ = true;
    link_->fail(why, 1011, std::move(reason));
    loop_.defer([this, alive = alive_.token(), why] {
        if (*alive && events_ && !finishing_) events_->failed(*this, why);
    });
}

void RelayStream::session_failed(const Error& why) {
    if (closed_ || failing_ || !opened_) return;
    failing_ = true;
    // Ctrl-C and a failure at our end both close with 1011, so that no
    // peer takes a cut stream for a whole one; the reason says which.
    bool interrupted = why.code == Exit::interrupted;
    std::string reason = interrupted ? "interrupted" : text::printable(why.message());
    if (reason.size() > 120) reason.resize(120);  // a Close reason holds 123 bytes
    link_->fail(why, interrupted ? eos::kInterruptedCode : 1011, std::move(reason));
}

void RelayStream::pause(bool paused) {
    paused_ = paused;
    if (!closed_ && !read_closed_) link_->receive(!paused);
}

void RelayStream::close_read() {
    read_closed_ = true;
    // Read on and discard: the peer's Close must still be seen for the
    // connection to end cleanly.
    if (!closed_) link_->discard_input();
}

void RelayStream::input_delivered() {
    delivered_ = true;
    if (!closed_) link_->delivered();
}

void RelayStream::link_open(RelayLink& link) {
    opened_ = true;
    if (link.records()) splitter_.set_exact(true);
    if (paused_ && !read_closed_) link_->receive(false);
    if (!finishing_) events_->opened(*this);
}

void RelayStream::link_data(RelayLink& link, std::string_view piece, bool final) {
    if (read_closed_ || finishing_) return;
    if (tap_) tap_(false, piece);
    if (whole_messages_) {
        message_.append(piece);
        if (!final) return;
        std::string m = std::move(message_);
        message_.clear();
        events_->data(*this, m);
    } else {
        events_->data(*this, piece);
        // Exact bytes carry the sender's separators; otherwise a message's end is one.
        std::string_view sep = message_separator(options_.framing);
        if (final && !link.records() && !sep.empty() && !finishing_) events_->data(*this, sep);
    }
    if (final && ++messages_in_ == options_.max_messages && !finishing_) events_->concluded(*this);
}

void RelayStream::link_drained(RelayLink&) {
    if (!finishing_ && !write_ended_) events_->drained(*this);
}

void RelayStream::link_input_end(RelayLink&) {
    if (read_ended_ || finishing_) return;
    read_ended_ = true;
    if (end_held_) {
        end_held_ = false;
        send_end();
    }
    events_->read_end(*this);
}

Error RelayStream::open_error(const WsClose& close) const {
    if (options_.sender) return sender_connect_error(close, what_);
    bool fatal = false;
    return listener_connect_error(close, what_, fatal);
}

void RelayStream::link_closed(RelayLink&, const WsClose& close, const Status& verdict) {
    closed_ = true;
    close_ = close;
    linger_.cancel();
    Status st = close.established ? verdict : Status(open_error(close));
    if (finishing_) {
        finish_timer_.cancel();
        if (finish_done_) std::exchange(finish_done_, nullptr)(st);
        return;
    }
    if (!st) {
        events_->failed(*this, st.error());
        return;
    }
    // A complete end: both directions are over.
    if (!read_ended_) {
        read_ended_ = true;
        events_->read_end(*this);
    }
    if (!write_ended_ && !finishing_) {
        write_ended_ = true;
        events_->write_end(*this);
    }
}

void RelayStream::finish(bool clean, std::function<void(Status)> done) {
    finishing_ = true;
    if (closed_) {
        // Its verdict was already given through the stream events.
        done({});
        return;
    }
    finish_done_ = std::move(done);
    if (failing_) {
        // Our error Close is out: the peer has a moment to answer it.
        finish_timer_.start(std::chrono::milliseconds(1500), [this] { link_->abort(); });
        return;
    }
    if (!clean || !opened_) {
        link_->abort();  // link_closed() follows, maybe at once
        return;
    }
    // Both directions ended: the records (or our Close) are on their way;
    // wait for the peer's. Ended early on purpose (a limit, linger, one
    // way): say so, and a peer that keeps talking must not keep us.
    // The peer's data that ended but was never confirmed delivered (the
    // session stopped before the output flushed) is settled by conclude()
    // too: it acknowledges what arrived.
    bool owe_ack = read_ended_ && !read_closed_ && !delivered_;
    bool early = !(read_ended_ || read_closed_) || !write_ended_ || end_held_ || owe_ack;
    if (early) link_->conclude();
    auto wait = !early                         ? std::chrono::milliseconds(30000)
                : options_.linger.count() > 0 ? options_.linger
                                              : std::chrono::milliseconds(2000);
    finish_timer_.start(wait, [this] { link_->abort(); });
}

}  // namespace hyco
