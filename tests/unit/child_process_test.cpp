// Which --exec commands start without a shell, and that both ways run them.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/io/child_process.h"

using namespace hyco;

namespace {

using Words = std::vector<std::string>;

/// Runs `command` with its stdout on a pipe; returns what it printed and,
/// through `code`, its exit code.
std::string run(const std::string& command, int& code) {
    ChildSpec spec;
    spec.command = command;
    spec.pipe_stdin = false;
    auto child = spawn_shell(spec);
    REQUIRE(child);
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = ::read(child->stdout_fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    ::close(child->stdout_fd);
    int status = 0;
    REQUIRE(::waitpid(child->pid, &status, 0) == child->pid);
    code = exit_code_of(status);
    return out;
}

}  // namespace

TEST_CASE("plain words start directly") {
    CHECK(direct_words("cat") == Words{"cat"});
    CHECK(direct_words("  tee -a /tmp/x.log ") == Words{"tee", "-a", "/tmp/x.log"});
    CHECK(direct_words("env A=1 printenv A") == Words{"env", "A=1", "printenv", "A"});
    CHECK(direct_words("nc 127.0.0.1:80,user@host %x+y") == Words{"nc", "127.0.0.1:80,user@host", "%x+y"});
}

TEST_CASE("anything the shell would interpret keeps the shell") {
    for (const char* c : {"", "   ", "cat | wc", "cat > f", "echo $HOME", "a && b", "a; b", "cat 'x y'", "cat \"x\"",
                          "ls *", "cat ~/f", "cat\tf", "A=1 cat", "exit 3", "read x", "echo hi", "kill -TERM 1",
                          "true", "test -f x", "cd /", "exec cat", "if", "printf %s x", "cat `x`", "cat\\ x", "cat #x"})
        CHECK_MESSAGE(!direct_words(c), c);
    // A NUL (possible in a config file's string) is no word character.
    CHECK_FALSE(direct_words(std::string_view("ca\0t", 4)));
}

TEST_CASE("a direct command and a shell command run alike") {
    int code = -1;
    CHECK(run("printenv HOME", code) == std::string(::getenv("HOME")) + "\n");
    CHECK(code == 0);
    CHECK(run("sh -c 'exit 7'", code).empty());
    CHECK(code == 7);
    CHECK(run("echo via the shell", code) == "via the shell\n");
    CHECK(code == 0);
    // Not on PATH: the shell's own answer, as before (127, "not found").
    CHECK(run("hyco-no-such-program-xyz arg", code).empty());
    CHECK(code == 127);
    CHECK(run("exit 3", code).empty());
    CHECK(code == 3);
}
