// The copier: joins two streams into one session. hyco-send (stdio and a
// relay connection), hyco-listen (a relay connection and stdio or a
// command) and every hyco-pipe session run on it, so the close policy is
// written once. It opens the streams in order (a failure opening the
// second closes the first), copies bytes both ways with backpressure (a
// full writer pauses its reader), passes end of input on as a half-close of
// the other side, and ends the session when both directions are finished,
// when a stream or the owner concludes it, on linger or idle timeouts, or
// on a failure.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "core/base/lifetime.h"
#include "core/base/error.h"
#include "core/io/event_loop.h"
#include "core/stream/stream.h"

namespace hyco {

/// Which way bytes flow (socat's -u / -U).
enum class Direction {
    both,
    forward,  ///< first -> second only
    reverse,  ///< second -> first only
};

struct CopyOptions {
    Direction direction = Direction::both;
    std::chrono::milliseconds linger{0};  ///< 0: wait for both directions
    std::chrono::milliseconds idle{0};    ///< 0: no idle timeout
};

class Copier final : private Stream::Events {
public:
    /// Runs once, when the session is over and both streams are finished.
    using Done = std::function<void(Copier&, const Status&)>;
    /// Sees every chunk copied: `dir` 0 is first -> second, 1 the reverse.
    using Tap = std::function<void(int dir, std::string_view bytes)>;

    Copier(EventLoop& loop, std::unique_ptr<Stream> first, std::unique_ptr<Stream> second, CopyOptions options,
           Done done);
    ~Copier() override;
    Copier(const Copier&) = delete;
    Copier& operator=(const Copier&) = delete;

    void set_tap(Tap tap) { tap_ = std::move(tap); }
    /// Called when both streams are open (before any byte moves).
    void on_open(std::function<void()> fn) { on_open_ = std::move(fn); }
    /// Opens the first stream, then the second.
    void start();
    /// Ends the session now (Ctrl-C, server shutdown); `why` becomes its status.
    void abort(std::optional<Error> why);
    /// Ends the session on purpose (--wait expired): cleanly, with what
    /// moved so far; what the streams still owe each other is not missing.
    void conclude();

    std::uint64_t bytes(int dir) const { return dirs_[static_cast<std::size_t>(dir)].bytes; }
    bool is_open() const { return open_; }
    const Stream& first() const { return *first_; }
    const Stream& second() const { return *second_; }

private:
    struct Dir {
        Stream* src = nullptr;
        Stream* dst = nullptr;
        bool active = true;
        bool eof = false;   ///< src reached end of input
        bool done = false;  ///< dst's write side finished (or direction unused)
        std::uint64_t bytes = 0;
    };

    void opened(Stream& s) override;
    void data(Stream& s, std::string_view bytes) override;
    void read_end(Stream& s) override;
    void drained(Stream& s) override;
    void write_end(Stream& s) override;
    void failed(Stream& s, const Error& error) override;
    void concluded(Stream& s) override;

    Dir& by_src(const Stream& s) { return dirs_[&s == first_.get() ? 0 : 1]; }
    Dir& by_dst(const Stream& s) { return dirs_[&s == first_.get() ? 1 : 0]; }
    void begin_copy();
    void closing_phase();
    void touch();
    void check_done();
    void finish(bool clean);
    void stream_finished(const Status& st);

    EventLoop& loop_;
    std::unique_ptr<Stream> first_;
    std::unique_ptr<Stream> second_;
    CopyOptions options_;
    Done done_;
    Tap tap_;
    std::function<void()> on_open_;
    std::array<Dir, 2> dirs_;
    Timer linger_;
    Timer idle_;
    std::optional<Error> error_;
    bool second_opening_ = false;
    bool open_ = false;
    bool finishing_ = false;
    int pending_finishes_ = 0;
    Lifetime alive_;
};

}  // namespace hyco
