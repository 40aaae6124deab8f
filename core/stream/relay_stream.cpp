// A relay WebSocket as a Stream (see relay_stream.h).
#include "core/stream/relay_stream.h"

#include "core/relay/relay_errors.h"

namespace hyco {

RelayStream::RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what, bool sender)
    : loop_(loop), what_(std::move(what)), sender_(sender), finish_timer_(loop) {
    RelayLink::Events& self = *this;
    link_ = std::make_unique<RelayLink>(loop, self, std::move(target), timeouts, what_);
}

RelayStream::~RelayStream() {
    *alive_ = false;
    link_.reset();
}

void RelayStream::open(Stream::Events& events) {
    events_ = &events;
    // connect() can report a synchronous failure through link_closed(); keep
    // every event out of the copier's open() call.
    loop_.defer([this, alive = alive_] {
        if (*alive) link_->connect();
    });
}

void RelayStream::write(std::string_view bytes) {
    if (closed_ || write_ended_) return;
    link_->send(Fragment{std::string(bytes), true, true, true});
}

bool RelayStream::writable() const { return closed_ || link_->writable(); }

void RelayStream::close_write() {
    if (closed_ || write_ended_) return;
    write_ended_ = true;
    link_->end_output(exit_);
    // From the copier's view this direction is done once our end is queued;
    // whether the peer confirmed it is the session's verdict (finish()).
    loop_.defer([this, alive = alive_] {
        if (*alive && events_ && !finishing_) events_->write_end(*this);
    });
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
    if (!closed_) link_->delivered();
}

void RelayStream::link_open(RelayLink&) {
    opened_ = true;
    if (paused_ && !read_closed_) link_->receive(false);
    if (!finishing_) events_->opened(*this);
}

void RelayStream::link_data(RelayLink&, std::string_view piece, bool final) {
    if (read_closed_ || finishing_) return;
    if (whole_messages_) {
        message_.append(piece);
        if (!final) return;
        std::string m = std::move(message_);
        message_.clear();
        events_->data(*this, m);
        return;
    }
    events_->data(*this, piece);
}

void RelayStream::link_drained(RelayLink&) {
    if (!finishing_ && !write_ended_) events_->drained(*this);
}

void RelayStream::link_input_end(RelayLink&) {
    if (read_ended_ || finishing_) return;
    read_ended_ = true;
    events_->read_end(*this);
}

Error RelayStream::open_error(const WsClose& close) const {
    if (sender_) return sender_connect_error(close, what_);
    bool fatal = false;
    return listener_connect_error(close, what_, fatal);
}

void RelayStream::link_closed(RelayLink&, const WsClose& close, const Status& verdict) {
    closed_ = true;
    close_ = close;
    Status st = close.established ? verdict : Status(open_error(close));
    if (finishing_) {
        finish_timer_.cancel();
        if (finish_done_) {
            auto done = std::move(finish_done_);
            finish_done_ = nullptr;
            done(st);
        }
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
    if (!clean || !opened_) {
        link_->abort();  // link_closed() follows, maybe at once
        return;
    }
    // Both directions ended: the records (or our Close) are on their way;
    // wait for the peer's. Ended early on purpose (linger, one-way): say so.
    if (!(read_ended_ || read_closed_) || !write_ended_) link_->conclude();
    finish_timer_.start(std::chrono::seconds(30), [this] { link_->abort(); });
}

}  // namespace hyco
