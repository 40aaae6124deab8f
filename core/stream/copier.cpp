// The copier (see copier.h). Memory per direction is bounded by the
// destination's high-water mark plus one read chunk: data() writes what
// it got and pauses the source as soon as the destination is full.
#include "core/stream/copier.h"

#include <fmt/format.h>

#include "core/base/duration.h"

namespace hyco {

Copier::Copier(EventLoop& loop, std::unique_ptr<Stream> first, std::unique_ptr<Stream> second, CopyOptions options,
               Done done)
    : loop_(loop), first_(std::move(first)), second_(std::move(second)), options_(options), done_(std::move(done)),
      linger_(loop), idle_(loop) {
    dirs_[0].src = first_.get();
    dirs_[0].dst = second_.get();
    dirs_[1].src = second_.get();
    dirs_[1].dst = first_.get();
    dirs_[0].active = options_.direction != Direction::reverse;
    dirs_[1].active = options_.direction != Direction::forward;
}

Copier::~Copier() { alive_.end(); }

void Copier::start() { first_->open(*this); }

void Copier::opened(Stream& s) {
    if (finishing_) return;
    if (&s == first_.get()) {
        // Nothing is read before the other side can take it.
        first_->pause(true);
        second_opening_ = true;
        second_->open(*this);
        return;
    }
    second_->pause(true);
    begin_copy();
}

void Copier::begin_copy() {
    open_ = true;
    if (on_open_) on_open_();
    for (Dir& d : dirs_) {
        if (d.active) {
            d.src->pause(false);
        } else {
            // One-way mode: this direction is over before it starts. The
            // destination's write side stays open (a relay Close would end
            // the other direction too); it closes with the session.
            d.src->close_read();
            d.eof = d.done = true;
        }
    }
    touch();
    check_done();
}

void Copier::touch() {
    if (options_.idle.count() <= 0 || finishing_) return;
    idle_.start(options_.idle, [this] {
        error_ = make_error(Exit::timeout, "session",
                            fmt::format("no traffic for {}", format_duration(std::chrono::duration_cast<std::chrono::seconds>(options_.idle))));
        finish(false);
    });
}

void Copier::data(Stream& s, std::string_view bytes) {
    if (finishing_) return;
    Dir& d = by_src(s);
    if (d.done || d.eof) return;  // the consumer is gone: drop, as a closed pipe would
    d.bytes += bytes.size();
    if (tap_) tap_(&d == &dirs_[0] ? 0 : 1, bytes);
    d.dst->write(bytes);
    if (!d.dst->writable()) d.src->pause(true);
    touch();
}

void Copier::read_end(Stream& s) {
    if (finishing_) return;
    Dir& d = by_src(s);
    if (d.eof) return;
    d.eof = true;
    if (d.done) return closing_phase();
    if (!d.dst->wants_exit_status()) {
        d.dst->close_write();
        return closing_phase();
    }
    // The peer hears how the command ended along with the end of its output.
    s.when_exited([this, &d, alive = alive_.token()](std::optional<eos::RemoteExit> exit) {
        if (!*alive || finishing_ || d.done) return;
        if (exit) d.dst->end_status(*exit);
        d.dst->close_write();
        closing_phase();
    });
}

void Copier::drained(Stream& s) {
    if (finishing_) return;
    Dir& d = by_dst(s);
    if (!d.eof && !d.done) d.src->pause(false);
}

void Copier::write_end(Stream& s) {
    if (finishing_) return;
    Dir& d = by_dst(s);
    if (d.done) return;
    // Its reader left before we ended it: for stdout that is the end of
    // everything (as for `cmd | head -1`), not only of this direction.
    if (!d.eof && s.reader_gone_ends_session()) return conclude();
    d.done = true;
    // Its source ended and every byte went out: the source may say so.
    if (d.eof && s.all_written()) d.src->input_delivered();
    if (!d.eof) {
        d.eof = true;
        d.src->close_read();
    }
    closing_phase();
    check_done();
}

void Copier::failed(Stream& s, const Error& error) {
    if (finishing_) return;
    if (!error_) error_ = error;
    // A second stream that never opened must not be finished as if it had.
    (void)s;
    finish(false);
}

void Copier::concluded(Stream&) { conclude(); }

void Copier::conclude() {
    for (Dir& d : dirs_)
        if (d.active && !d.eof && !finishing_) d.src->poll_input();
    finish(true);
}

void Copier::closing_phase() {
    if (options_.linger.count() <= 0 || linger_.pending() || finishing_) return;
    linger_.start(options_.linger, [this] { finish(true); });
}

void Copier::check_done() {
    if (dirs_[0].done && dirs_[1].done) finish(true);
}

void Copier::abort(std::optional<Error> why) {
    if (finishing_) return;
    if (why && !error_) error_ = std::move(why);
    finish(false);
}

void Copier::finish(bool clean) {
    if (finishing_) return;
    finishing_ = true;
    linger_.cancel();
    idle_.cancel();
    // Deferred: finish() may run inside a stream's own callback.
    loop_.defer([this, clean] {
        pending_finishes_ = 2;
        bool ok = clean && !error_;
        if (error_) {
            first_->session_failed(*error_);
            second_->session_failed(*error_);
        }
        // A stream whose verdict comes late (a relay waiting for the peer's
        // confirmation) finishes first; its partner then ends cleanly or
        // with a reset according to that verdict.
        Stream* early = second_->settles_first() && !first_->settles_first() ? second_.get() : first_.get();
        Stream* late = early == first_.get() ? second_.get() : first_.get();
        bool late_opened = late == first_.get() || second_opening_;
        bool early_opened = early == first_.get() || second_opening_;
        early->finish(ok && early_opened, [this, ok, late, late_opened](Status st) {
            stream_finished(st);
            late->finish(ok && !error_ && late_opened, [this](Status st2) { stream_finished(st2); });
        });
    });
}

void Copier::stream_finished(const Status& st) {
    if (!st && !error_) error_ = st.error();
    if (--pending_finishes_ > 0) return;
    Status result = error_ ? Status(*error_) : Status();
    if (done_) loop_.defer([this, result] { done_(*this, result); });
}

}  // namespace hyco
