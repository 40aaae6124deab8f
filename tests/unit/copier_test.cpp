// The copier through scripted streams: the test plays both endpoints (when
// they open, what they read, when they fill up, end or break) and checks what
// the copier does with them: order of opening, half-close, backpressure,
// one-way modes, a consumer that goes away, failures and the final verdict.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io/event_loop.h"
#include "core/stream/copier.h"

using namespace hyco;

namespace {

/// A stream whose events the test fires by hand; it records what the copier
/// asked of it.
class Scripted final : public Stream {
public:
    struct Log {
        bool open_called = false;
        bool paused = false;
        bool write_closed = false;
        bool read_closed = false;
        bool delivered = false;
        std::string written;
        std::optional<bool> finished_clean;
        std::optional<eos::RemoteExit> end_status;
        std::optional<std::string> session_failure;
    };

    explicit Scripted(std::shared_ptr<Log> log) : log_(std::move(log)) {}

    // What the test makes the stream report.
    void open_now() { events_->opened(*this); }
    void read(std::string_view bytes) { events_->data(*this, bytes); }
    void end_input() { events_->read_end(*this); }
    void fill(bool full) {
        writable_ = !full;
        if (!full) events_->drained(*this);
    }
    void output_done() { events_->write_end(*this); }
    void break_with(const std::string& why) { events_->failed(*this, make_error(Exit::failure, "test", why)); }
    void conclude() { events_->concluded(*this); }
    void exits_with(std::optional<eos::RemoteExit> exit) { exited_(exit); }

    bool wants_status = false;
    bool reader_ends_session = false;

    void open(Events& events) override {
        events_ = &events;
        log_->open_called = true;
    }
    void write(std::string_view bytes) override { log_->written += bytes; }
    bool writable() const override { return writable_; }
    void close_write() override { log_->write_closed = true; }
    void pause(bool paused) override { log_->paused = paused; }
    void close_read() override { log_->read_closed = true; }
    void input_delivered() override { log_->delivered = true; }
    bool wants_exit_status() const override { return wants_status; }
    bool reader_gone_ends_session() const override { return reader_ends_session; }
    void end_status(eos::RemoteExit exit) override { log_->end_status = exit; }
    void when_exited(std::function<void(std::optional<eos::RemoteExit>)> fn) override { exited_ = std::move(fn); }
    void session_failed(const Error& why) override { log_->session_failure = why.why; }
    std::string describe() const override { return "scripted"; }
    void finish(bool clean, std::function<void(Status)> done) override {
        log_->finished_clean = clean;
        done({});
    }

private:
    std::shared_ptr<Log> log_;
    Events* events_ = nullptr;
    bool writable_ = true;
    std::function<void(std::optional<eos::RemoteExit>)> exited_ = [](std::optional<eos::RemoteExit>) {};
};

/// One session between two scripted streams, on a real event loop.
struct Rig {
    std::unique_ptr<EventLoop> loop = EventLoop::create(TlsOptions{}).value();
    std::shared_ptr<Scripted::Log> a_log = std::make_shared<Scripted::Log>();
    std::shared_ptr<Scripted::Log> b_log = std::make_shared<Scripted::Log>();
    Scripted* a = nullptr;
    Scripted* b = nullptr;
    std::unique_ptr<Copier> copier;
    std::optional<Status> result;

    explicit Rig(CopyOptions options = {}, bool b_wants_status = false) {
        auto first = std::make_unique<Scripted>(a_log);
        auto second = std::make_unique<Scripted>(b_log);
        a = first.get();
        b = second.get();
        b->wants_status = b_wants_status;
        copier = std::make_unique<Copier>(*loop, std::move(first), std::move(second), options,
                                          [this](Copier&, const Status& st) { result = st; });
        copier->start();
    }
    void open_both() {
        a->open_now();
        b->open_now();
    }
    /// Runs deferred work until the session reported its verdict.
    const Status& verdict() {
        loop->run_until([this] { return result.has_value(); });
        return *result;
    }
};

}  // namespace

TEST_CASE("the second stream opens only after the first, and nothing is read before both are open") {
    Rig s;
    CHECK(s.a_log->open_called);
    CHECK_FALSE(s.b_log->open_called);
    s.a->open_now();
    CHECK(s.b_log->open_called);
    CHECK(s.a_log->paused);
    s.b->open_now();
    CHECK(s.copier->is_open());
    CHECK_FALSE(s.a_log->paused);
    CHECK_FALSE(s.b_log->paused);
}

TEST_CASE("bytes cross both ways; each end of input is a half-close; both done is a clean end") {
    Rig s;
    s.open_both();
    s.a->read("hello ");
    s.a->read("world");
    s.b->read("answer");
    CHECK(s.b_log->written == "hello world");
    CHECK(s.a_log->written == "answer");
    s.a->end_input();
    CHECK(s.b_log->write_closed);
    CHECK_FALSE(s.a_log->write_closed);  // the other direction still runs
    s.b->read(" more");
    CHECK(s.a_log->written == "answer more");
    s.b->output_done();  // b flushed and closed its write side
    CHECK(s.a_log->delivered);
    CHECK_FALSE(s.result);
    s.b->end_input();
    s.a->output_done();
    CHECK(s.verdict().ok());
    CHECK(s.a_log->finished_clean == true);
    CHECK(s.b_log->finished_clean == true);
    CHECK(s.copier->bytes(0) == 11);
    CHECK(s.copier->bytes(1) == 11);
}

TEST_CASE("a full writer pauses its reader until it drains") {
    Rig s;
    s.open_both();
    s.b->fill(true);
    s.a->read("x");
    CHECK(s.a_log->paused);
    s.b->fill(false);
    CHECK_FALSE(s.a_log->paused);
    // A reader that already ended is not resumed.
    s.b->fill(true);
    s.a->read("y");
    s.a->end_input();
    s.b->fill(false);
    CHECK(s.a_log->paused);
    CHECK(s.b_log->written == "xy");
}

TEST_CASE("a failure ends the session at once with that error, and neither side ends cleanly") {
    Rig s;
    s.open_both();
    s.a->read("partial");
    s.b->break_with("the relay connection was lost");
    const Status& v = s.verdict();
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().why == "the relay connection was lost");
    CHECK(s.a_log->finished_clean == false);
    CHECK(s.b_log->finished_clean == false);
    // Both are told, so a stream that can still answer (HTTP 502) does.
    CHECK(s.a_log->session_failure == "the relay connection was lost");
}

TEST_CASE("a second stream that fails to open ends the first uncleanly") {
    Rig s;
    s.a->open_now();
    s.b->break_with("connection refused");
    const Status& v = s.verdict();
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().why == "connection refused");
    CHECK(s.a_log->finished_clean == false);
    CHECK(s.b_log->finished_clean == false);
    CHECK(s.b_log->written.empty());
}

TEST_CASE("a consumer that goes away stops its direction; later bytes are dropped") {
    Rig s;
    s.open_both();
    s.a->read("kept");
    s.b->output_done();  // b's reader went away (EPIPE) before a ended
    CHECK(s.a_log->read_closed);
    CHECK_FALSE(s.a_log->delivered);  // a never ended: nothing to confirm
    s.a->read("dropped");
    CHECK(s.b_log->written == "kept");
    CHECK(s.copier->bytes(0) == 4);
}

TEST_CASE("stdout's reader going away ends the whole session cleanly, not only its direction") {
    Rig s;
    s.a->reader_ends_session = true;
    s.open_both();
    s.a->read("still reading");
    s.b->read("to stdout");
    s.a->output_done();  // `| head -1` exited before the peer's data ended
    const Status& v = s.verdict();
    CHECK(v.ok());
    CHECK(s.a_log->finished_clean == true);
    CHECK(s.b_log->finished_clean == true);
    // b never ended its input, and a's never ended either: neither is confirmed.
    CHECK_FALSE(s.a_log->delivered);
    CHECK_FALSE(s.b_log->delivered);
}

TEST_CASE("a stream's reader leaving after its end was asked for is an ordinary end") {
    Rig s;
    s.a->reader_ends_session = true;
    s.open_both();
    s.b->read("all of it");
    s.b->end_input();
    CHECK(s.a_log->write_closed);
    s.a->output_done();
    CHECK(s.b_log->delivered);  // every byte b sent was written out
    CHECK_FALSE(s.result.has_value());  // a's own input still flows
    s.a->read("more");
    CHECK(s.b_log->written == "more");
}

TEST_CASE("a stream that concludes (a message limit) ends the session cleanly with what moved") {
    Rig s;
    s.open_both();
    s.b->read("message 1");
    s.b->conclude();
    s.b->read("after the limit");
    const Status& v = s.verdict();
    CHECK(v.ok());
    CHECK(s.a_log->written == "message 1");
    CHECK(s.a_log->finished_clean == true);
    CHECK(s.b_log->finished_clean == true);
}

TEST_CASE("conclude() ends the session on purpose, cleanly, with both directions open") {
    Rig s;
    s.open_both();
    s.a->read("x");
    s.copier->conclude();
    CHECK(s.verdict().ok());
    CHECK(s.b_log->finished_clean == true);
    CHECK_FALSE(s.a_log->session_failure);
}

TEST_CASE("a failure tells both streams why before they finish") {
    Rig s;
    s.open_both();
    s.a->break_with("disk full");
    const Status& v = s.verdict();
    REQUIRE_FALSE(v.ok());
    REQUIRE(s.b_log->session_failure);
    CHECK(*s.b_log->session_failure == "disk full");
    CHECK(s.b_log->finished_clean == false);
}

TEST_CASE("one-way: the unused direction is closed before it starts") {
    CopyOptions forward;
    forward.direction = Direction::forward;
    Rig s(forward);
    s.open_both();
    CHECK(s.b_log->read_closed);
    CHECK_FALSE(s.a_log->read_closed);
    s.a->read("data");
    s.a->end_input();
    s.b->output_done();
    CHECK(s.verdict().ok());
    CHECK(s.b_log->written == "data");
}

TEST_CASE("a command's exit status travels with the end of its output") {
    Rig s({}, true);
    s.open_both();
    s.a->read("out");
    s.a->end_input();
    CHECK_FALSE(s.b_log->write_closed);  // waits for the exit status
    s.a->exits_with(eos::RemoteExit{3, 0});
    REQUIRE(s.b_log->end_status);
    CHECK(s.b_log->end_status->code == 3);
    CHECK(s.b_log->write_closed);
}

TEST_CASE("abort ends a running session with its reason") {
    Rig s;
    s.open_both();
    s.copier->abort(make_error(Exit::interrupted, "session", "interrupted"));
    const Status& v = s.verdict();
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == Exit::interrupted);
    CHECK(s.a_log->finished_clean == false);
}
