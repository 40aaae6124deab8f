// A relay WebSocket as a Stream (see relay_stream.h).
#include "tools/hyco-pipe/relay_stream.h"

#include <fmt/format.h>

#include "core/relay_errors.h"
#include "core/session.h"

namespace hyco::pipe {

RelayStream::RelayStream(EventLoop& loop, WsTarget target, WsTimeouts timeouts, std::string what, bool sender)
    : loop_(loop), what_(std::move(what)), sender_(sender), finish_timer_(loop) {
    WsClient::Events& self = *this;
    ws_ = std::make_unique<WsClient>(loop, self, std::move(target), timeouts);
}

RelayStream::~RelayStream() {
    *alive_ = false;
    ws_.reset();
}

void RelayStream::open(Stream::Events& events) {
    events_ = &events;
    // connect() can report a synchronous failure through ws_closed(); keep
    // every event out of the copier's open() call.
    loop_.defer([this, alive = alive_] {
        if (*alive) ws_->connect();
    });
}

void RelayStream::write(std::string_view bytes) {
    if (closed_ || write_ended_) return;
    ws_->send(Fragment{std::string(bytes), true, true, true});
}

bool RelayStream::writable() const { return closed_ || ws_->writable(); }

void RelayStream::close_write() {
    if (closed_ || write_ended_) return;
    write_ended_ = true;
    ws_->finish(1000, "");
    // The Close frame leaves after the queued data; from the copier's view
    // this direction is done (the session waits for the Close handshake).
    loop_.defer([this, alive = alive_] {
        if (*alive && events_ && !finishing_) events_->write_end(*this);
    });
}

void RelayStream::pause(bool paused) {
    paused_ = paused;
    if (!closed_ && !read_closed_) ws_->receive(!paused);
}

void RelayStream::close_read() {
    read_closed_ = true;
    // Read on and discard (ws_data drops it): the peer's Close must still
    // be seen for the connection to end cleanly.
    if (!closed_) ws_->receive(true);
}

void RelayStream::ws_open(WsClient&) {
    opened_ = true;
    if (paused_ && !read_closed_) ws_->receive(false);
    if (!finishing_) events_->opened(*this);
}

void RelayStream::ws_data(WsClient&, std::string_view piece, bool, bool) {
    if (read_closed_ || finishing_) return;
    events_->data(*this, piece);
}

void RelayStream::ws_drained(WsClient&) {
    if (!finishing_ && !write_ended_) events_->drained(*this);
}

void RelayStream::ws_peer_closed(WsClient&, int code, const std::string&) {
    if (code != 1000 && code != 1005) {
        // Not a half-close: the relay going away (1001) or an error. Answer
        // and end; ws_closed() judges whether our side was cut short.
        ws_->finish(code);
        return;
    }
    if (read_ended_ || finishing_) return;
    read_ended_ = true;
    events_->read_end(*this);
}

Error RelayStream::open_error(const WsClose& close) const {
    if (sender_) return sender_connect_error(close, what_);
    bool fatal = false;
    return listener_connect_error(close, what_, fatal);
}

void RelayStream::ws_closed(WsClient&, const WsClose& close) {
    closed_ = true;
    Status st = close.established ? close_status(close, what_) : Status(open_error(close));
    if (!st && close.established && close.kind == WsClose::Kind::failed)
        st = make_error(st.error().code, what_, "relay connection lost: " + st.error().why);
    // A Close other than 1000 (the relay going away, 1001) while our side
    // was still sending cuts the stream short: say so rather than end quietly.
    if (st && close.kind == WsClose::Kind::peer && close.code != 1000 && !write_ended_ && !finishing_)
        st = make_error(Exit::failure, what_,
                        fmt::format("the relay closed the connection ({}{}{}) before our side had finished",
                                    close.code, close.reason.empty() ? "" : ": ", close.reason));
    close_status_ = st;
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
    // A normal close: both Closes were exchanged (or the peer hung up after
    // its own), so both directions are over.
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
    if (clean && opened_) {
        // Let queued bytes and our Close go out, and the peer answer.
        ws_->finish(1000, "");
        finish_timer_.start(std::chrono::seconds(30), [this] { ws_->abort(); });
    } else {
        ws_->abort();  // ws_closed() follows, maybe at once
    }
}

}  // namespace hyco::pipe
