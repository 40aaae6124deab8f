// FdStream's pause against a pipe whose writer already hung up: paused
// means no data, even for what lws hands over at the hang-up; it all comes,
// then the end of input, once reading resumes.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <unistd.h>

#include "core/io/event_loop.h"
#include "core/io/fd_stream.h"

using namespace hyco;

namespace {

struct Recorder final : FdStream::Events {
    std::string data;
    bool eof = false;
    void stream_data(FdStream&, std::string_view bytes) override { data.append(bytes); }
    void stream_eof(FdStream&) override { eof = true; }
    void stream_write_closed(FdStream&, const Error*) override {}
};

}  // namespace

TEST_CASE("a paused stream holds what a hung-up pipe still had until it resumes") {
    auto loop = EventLoop::create(TlsOptions{}).value();
    int p[2];
    REQUIRE(::pipe(p) == 0);
    REQUIRE(::write(p[1], "held bytes", 10) == 10);
    ::close(p[1]);  // the writer is gone before we read a byte

    Recorder r;
    FdStream s(*loop, r, p[0], -1, "pipe");
    REQUIRE(s.start().ok());
    s.pause(true);
    // Turns of the loop in which the hang-up is seen: nothing may arrive.
    bool waited = false;
    Timer wait(*loop);
    wait.start(std::chrono::milliseconds(300), [&] { waited = true; });
    loop->run_until([&] { return waited || !r.data.empty() || r.eof; });
    CHECK(r.data.empty());
    CHECK_FALSE(r.eof);

    s.pause(false);
    loop->run_until([&] { return r.eof; });
    CHECK(r.data == "held bytes");
    CHECK(r.eof);
}
