// The loop's signal descriptor and its one reaper: signals become events in
// the loop (no handler, no global flag), and a watched child's exit wakes it.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <vector>

#include "core/io/child_process.h"
#include "core/io/event_loop.h"

using namespace hyco;

namespace {

std::unique_ptr<EventLoop> make_loop(bool status_signal = false) {
    LoopOptions o;
    o.status_signal = status_signal;
    auto loop = EventLoop::create(std::move(o));
    REQUIRE(loop);
    return std::move(*loop);
}

/// Runs the loop until `done` or five seconds; false on the time limit.
bool run_for(EventLoop& loop, const std::function<bool()>& done) {
    bool late = false;
    Timer limit(loop);
    limit.start(std::chrono::seconds(5), [&] { late = true; });
    loop.run_until([&] { return done() || late; });
    return !late;
}

pid_t start(const std::string& command) {
    ChildSpec spec;
    spec.command = command;
    spec.pipe_stdin = false;
    spec.pipe_stdout = false;
    auto child = spawn_shell(spec);
    REQUIRE(child);
    return child->pid;
}

}  // namespace

TEST_CASE("SIGTERM reaches the loop as an event, with nothing else to wake it") {
    auto loop = make_loop();
    std::vector<int> seen;
    loop->on_signal([&](int signo) { seen.push_back(signo); });
    CHECK_FALSE(loop->interrupted());
    // Raised from inside the loop's first turn: no timer or tick is pending,
    // so only the signal descriptor can end the wait.
    loop->defer([] { ::kill(::getpid(), SIGTERM); });
    REQUIRE(run_for(*loop, [&] { return loop->interrupted(); }));
    CHECK(seen == std::vector<int>{SIGTERM});
}

TEST_CASE("SIGUSR1 is reported without interrupting when the loop takes it") {
    auto loop = make_loop(true);
    std::vector<int> seen;
    loop->on_signal([&](int signo) { seen.push_back(signo); });
    loop->defer([] { ::kill(::getpid(), SIGUSR1); });
    REQUIRE(run_for(*loop, [&] { return !seen.empty(); }));
    CHECK(seen == std::vector<int>{SIGUSR1});
    CHECK_FALSE(loop->interrupted());
}

TEST_CASE("a pending signal is taken by a blocking wait outside the loop") {
    auto loop = make_loop();
    ::kill(::getpid(), SIGINT);
    CHECK_FALSE(loop->interrupted());
    CHECK(loop->take_signals());
    CHECK(loop->interrupted());
}

TEST_CASE("the reaper reports each watched child's exit status") {
    auto loop = make_loop();
    std::optional<int> a, b;
    loop->watch_child(start("exit 3"), [&](int ws) { a = exit_code_of(ws); });
    loop->watch_child(start("sleep 0.2; kill -9 $$"), [&](int ws) { b = exit_code_of(ws); });
    REQUIRE(run_for(*loop, [&] { return a && b; }));
    CHECK(*a == 3);
    CHECK(*b == 128 + SIGKILL);
}

TEST_CASE("a child that exited before it was watched is still reported") {
    auto loop = make_loop();
    pid_t pid = start("exit 7");
    ::usleep(200 * 1000);  // its SIGCHLD comes before the watch
    loop->take_signals();
    std::optional<int> code;
    loop->watch_child(pid, [&](int ws) { code = exit_code_of(ws); });
    CHECK_FALSE(code);  // never inside watch_child
    REQUIRE(run_for(*loop, [&] { return code.has_value(); }));
    CHECK(*code == 7);
}

TEST_CASE("a forgotten child is reaped with nobody told") {
    auto loop = make_loop();
    bool told = false;
    pid_t pid = start("exit 0");
    loop->watch_child(pid, [&](int) { told = true; });
    loop->forget_child(pid);
    std::optional<int> other;
    loop->watch_child(start("sleep 0.5"), [&](int ws) { other = ws; });
    REQUIRE(run_for(*loop, [&] { return other.has_value(); }));
    CHECK_FALSE(told);
    // Reaped: no zombie is left under that pid.
    CHECK(::kill(pid, 0) != 0);
}
