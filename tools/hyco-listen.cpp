// hyco-listen: hold a Hybrid Connection's control channel and serve the
// senders it accepts on stdin/stdout or one child process each.

#include "core/base/text.h"
#include "core/io/fd_guard.h"
#include "tools/hyco-listen/listener.h"
#include "tools/common/client_flags.h"
#include "tools/common/connect_flags.h"
#include "tools/common/diag.h"
#include "tools/common/tool.h"
#include "tools/common/traffic_dump.h"
#include "tools/hyco-listen/listen_info.h"

using namespace hyco;

namespace {

struct ListenFlags {
    cli::ConnectFlags conn;
    cli::ClientFlags client;
    cli::DataFlags data;
    cli::DumpFlags dump;
    bool once = false;
    std::string exec;
    std::size_t max_connections = 64;
    std::string accept_cmd;
    std::string accept_timeout = "10s";
    std::string reject;
    cli::KeepaliveFlags keepalive;
    std::string token_ttl = "1h";
    std::uint64_t max_messages = 0;
    bool no_close = false;
    bool json = false;
};

Result<ListenerConfig> configure(const ListenFlags& f) {
    ListenerConfig c;
    auto target = f.conn.resolve(true);
    if (!target) return target.error();
    c.target = *target;
    auto ttl = cli::parse_duration_option("--token-ttl", f.token_ttl);
    if (!ttl) return ttl.error();
    if (*ttl < std::chrono::seconds(10)) return make_error(Exit::usage, "--token-ttl", "must be at least 10s");
    c.target.credentials.ttl = std::chrono::duration_cast<std::chrono::seconds>(*ttl);
    auto client = f.client.resolve();
    if (!client) return client.error();
    c.client = *client;
    auto ka = f.keepalive.resolve();
    if (!ka) return ka.error();
    c.keepalive = *ka;
    c.stream.framing = f.data.framing();
    if (f.no_close) c.stream.end_of_input = RelayStreamOptions::EndOfInput::hold;
    c.stream.max_messages = f.max_messages;
    if (f.dump.any()) c.tap = cli::dump_tap(f.dump);
    c.once = f.once;
    c.exec = f.exec;
    if (f.max_connections == 0) return make_error(Exit::usage, "--max-connections", "must be at least 1");
    c.max_connections = f.max_connections;
    c.accept_cmd = f.accept_cmd;
    auto at = cli::parse_duration_option("--accept-timeout", f.accept_timeout);
    if (!at) return at.error();
    c.accept_timeout = *at;
    if (!f.reject.empty()) {
        auto v = parse_verdict(f.reject);
        if (!v) return make_error(Exit::usage, "--reject " + f.reject, "expected 'STATUS [DESCRIPTION]' with a status from 400 to 599");
        c.reject_all = *v;
    }
    c.log = [](const std::string& line) { cli::diag::note(line); };
    if (f.json) c.json = [](const std::string& line) { cli::diag::raw_line(line); };
    c.progress = f.exec.empty() && f.data.show_progress() && !f.json;
    c.progress_sink = [](const std::string& s) { cli::diag::partial(s); };
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    ensure_std_fds_open();
    FdFlagsGuard fd_flags({0, 1});

    cli::Tool tool(listen_tool::info());
    CLI::App& app = tool.app();
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::auth, Exit::not_found, Exit::timeout,
                        Exit::token_expired, Exit::interrupted});
    ListenFlags f;
    f.conn.declare(tool, app, true);
    f.client.declare(tool, app, "Accept this subprotocol (repeatable); default: the sender's first offer");
    f.data.declare(app);
    f.dump.declare(app);
    app.add_flag("-1,--once", f.once,
                 "Exit when the first accepted connection ends, with its status (with --exec: the command's, if "
                 "it failed); senders rejected by --accept-cmd do not count")
        ->group("Serving");
    tool.complete(app.add_option("-e,--exec", f.exec,
                                 "Run CMD (with /bin/sh -c) for each connection, wired to its stdin and stdout")
                      ->type_name("CMD")
                      ->group("Serving"),
                  cli::Complete::command);
    app.add_option("--max-connections", f.max_connections, "With --exec: connections served at once")
        ->type_name("N")
        ->capture_default_str()
        ->group("Serving");
    tool.complete(app.add_option("--accept-cmd", f.accept_cmd,
                                 "Run CMD for each sender; exit 0 accepts, otherwise its first output line "
                                 "'STATUS DESCRIPTION' rejects")
                      ->type_name("CMD")
                      ->group("Serving"),
                  cli::Complete::command);
    app.add_option("--accept-timeout", f.accept_timeout, "Reject with 500 when --accept-cmd takes longer")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("Serving");
    app.add_option("--reject", f.reject, "Reject every sender with 'STATUS [DESCRIPTION]' (maintenance)")
        ->type_name("VERDICT")
        ->group("Serving");
    cli::Tool::whole_number(app.add_option("--max-messages", f.max_messages, "Close a connection after receiving N messages"))
        ->type_name("N")
        ->group("Data");
    app.add_flag("--no-close", f.no_close, "At end of input do not send Close; receive until the sender closes")
        ->group("Data");
    f.keepalive.declare(tool, app);
    app.add_option("--token-ttl", f.token_ttl, "Lifetime of the tokens hyco-listen mints (renewed at 80 %)")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("Control channel");
    app.add_flag("--json", f.json, "Report state changes as JSON lines on stderr")->group("Control channel");

    int rc = tool.main(argc, argv, [&]() -> Status {
        auto config = configure(f);
        if (!config) return config.error();
        Status st = run_listener(*config);
        fd_flags.restore();
        return st;
    });
    fd_flags.restore();
    return rc;
}
