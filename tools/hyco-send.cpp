// hyco-send: connect to a Hybrid Connection as a sender and copy stdin and
// stdout to and from it, or send a few messages and print the replies.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/text.h"
#include "core/io/fd_guard.h"
#include "tools/hyco-send/sender.h"
#include "tools/common/client_flags.h"
#include "tools/common/connect_flags.h"
#include "tools/common/diag.h"
#include "tools/common/tool.h"
#include "tools/common/traffic_dump.h"
#include "tools/hyco-send/send_info.h"

using namespace hyco;

namespace {

struct SendFlags {
    cli::ConnectFlags conn;
    cli::ClientFlags client;
    cli::DataFlags data;
    cli::DumpFlags dump;
    std::vector<std::string> messages;
    std::string wait;
    std::string linger;
    std::uint64_t max_messages = 0;
    bool no_close = false;
    bool json = false;
    bool once = false;
    bool send_only = false;
    bool receive_only = false;
    std::string suffix;
    std::string query;
};

Result<SenderConfig> configure(const SendFlags& f) {
    SenderConfig c;
    auto target = f.conn.resolve(true);
    if (!target) return target.error();
    c.target = *target;
    auto client = f.client.resolve();
    if (!client) return client.error();
    c.client = *client;
    c.stream.framing = f.data.framing();
    if (f.no_close) c.stream.end_of_input = RelayStreamOptions::EndOfInput::hold;
    c.stream.max_messages = f.once ? 1 : f.max_messages;
    c.read_input = !f.receive_only;
    if (f.dump.any()) c.tap = cli::dump_tap(f.dump);
    if (!f.linger.empty()) {
        auto l = cli::parse_duration_option("--linger", f.linger);
        if (!l) return l.error();
        c.stream.linger = *l;
    }
    c.messages = f.messages;
    if (!f.wait.empty()) {
        if (f.messages.empty()) return make_error(Exit::usage, "--wait", "only makes sense with -m/--message");
        auto w = cli::parse_duration_option("--wait", f.wait);
        if (!w) return w.error();
        c.wait = *w;
    }
    c.suffix = f.suffix;
    // The query goes into the request line as it is: it must already be
    // URL-encoded, or it could end the line and add headers of its own.
    for (char ch : f.query) {
        auto u = static_cast<unsigned char>(ch);
        if (u <= ' ' || u >= 0x7f || ch == '#')
            return make_error(Exit::usage, "--query " + text::quote(f.query),
                              "must be URL-encoded: no spaces, control characters, '#' or non-ASCII bytes");
    }
    if (!f.query.empty() && f.query.front() == '?')
        return make_error(Exit::usage, "--query " + text::quote(f.query), "leave out the leading '?'");
    c.query = f.query;
    c.progress = f.messages.empty() && f.data.show_progress() && !f.json;
    if (f.json) c.json = [](const std::string& line) { cli::diag::raw_line(line); };
    c.log = [](const std::string& line) { cli::diag::note(line); };
    c.progress_sink = [](const std::string& s) { cli::diag::partial(s); };
    struct stat st;
    if (fstat(0, &st) == 0 && S_ISREG(st.st_mode)) c.input_size = static_cast<std::uint64_t>(st.st_size);
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    ensure_std_fds_open();
    FdFlagsGuard fd_flags({0, 1});

    cli::Tool tool(send_tool::info());
    CLI::App& app = tool.app();
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::auth, Exit::not_found, Exit::timeout,
                        Exit::rejected, Exit::interrupted});
    SendFlags f;
    f.conn.declare(tool, app, true);
    f.client.declare(tool, app, "Offer this subprotocol (repeatable, in order of preference)");
    f.data.declare(app);
    f.dump.declare(app);
    auto* m = app.add_option("-m,--message", f.messages,
                   "Send TEXT as one message instead of reading stdin (repeatable); exit after the reply")
        ->type_name("TEXT")
        ->group("Data");
    app.add_option("--wait", f.wait, "With -m: close after DURATION instead of after the first reply")
        ->type_name("DURATION")
        ->group("Data");
    auto* max = cli::Tool::whole_number(app.add_option("--max-messages", f.max_messages, "Close after receiving N messages"))
        ->type_name("N")
        ->group("Data");
    app.add_flag("-1,--once", f.once, "Close after the first message received (--max-messages 1)")
        ->excludes(max)
        ->group("Data");
    auto* u = app.add_flag("-u,--send-only", f.send_only,
                           "Only send: what the listener sends is discarded (like socat -u)")
                  ->group("Data");
    auto* recv = app.add_flag("-U,--receive-only", f.receive_only,
                              "Only receive: stdin is not read and no Close is sent; print what arrives until "
                              "the listener closes (like socat -U)")
                     ->group("Data");
    u->excludes(recv);
    recv->excludes(m);
    app.add_flag("--no-close", f.no_close,
                 "At end of input do not send Close: keep printing what arrives until the listener closes")
        ->group("Data");
    app.add_option("--linger", f.linger,
                   "After our Close, wait at most DURATION for the listener's (default: until it closes)")
        ->type_name("DURATION")
        ->group("Data");
    app.add_flag("--json", f.json,
                 "Report progress and the end of the transfer as JSON lines on stderr: bytes each way, duration, "
                 "close code, complete or why not")
        ->group("Data");
    app.add_option("--suffix", f.suffix, "Path below the entity, passed to the listener")->type_name("PATH");
    app.add_option("--query", f.query, "Query string passed to the listener (already URL-encoded, no '?')")
        ->type_name("QUERY");

    int rc = tool.main(argc, argv, [&]() -> Status {
        auto config = configure(f);
        if (!config) return config.error();
        int in = fcntl(0, F_DUPFD_CLOEXEC, 3);
        int out = f.send_only ? open("/dev/null", O_WRONLY | O_CLOEXEC) : fcntl(1, F_DUPFD_CLOEXEC, 3);
        Status st = run_sender(*config, in, out);
        if (!st && st.error().code == Exit::interrupted) fd_flags.restore();
        return st;
    });
    fd_flags.restore();
    return rc;
}
