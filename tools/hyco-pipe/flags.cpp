// The hyco-pipe option table and its prose; flags become a PipeConfig here
// so that nothing past this file sees a string option.
#include "tools/hyco-pipe/flags.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/base/duration.h"
#include "tools/hyco-pipe/forwards.h"
#include "tools/hyco-pipe/checks.h"

namespace hyco::pipe {
namespace {

Result<std::chrono::milliseconds> duration_flag(const char* option, const std::string& value) {
    if (value.empty()) return std::chrono::milliseconds(0);
    auto d = parse_duration(value);
    if (!d) return make_error(Exit::usage, option, d.error().message());
    return *d;
}

}  // namespace

cli::ToolInfo tool_info() {
    return {
        "hyco-pipe",
        "copy byte streams between two addresses, one or both on an Azure Relay Hybrid Connection",
        "hyco-pipe opens ADDRESS1 and ADDRESS2 and copies bytes both ways until both directions are finished, "
        "the way socat does, so that any TCP program can be reached through a Hybrid Connection without code. "
        "An address is a socket, a listening socket, a command, standard input and output, or a relay "
        "endpoint (see ADDRESS TYPES).\n\n"
        "A listening address makes hyco-pipe a server: each accepted connection gets a fresh instance of the "
        "other address, many at once (--max-connections), and one failing connection never disturbs the "
        "others. Without a listening address hyco-pipe copies one stream and exits.\n\n"
        "End of input on one side shuts down only that direction: a TCP socket gets shutdown(SHUT_WR), a "
        "command's standard input is closed, a relay connection sends a WebSocket Close frame while it keeps "
        "reading (as Microsoft's .NET client does). The session ends when both directions are done, after -t "
        "once one is, or after -T without traffic.\n\n"
        "Relay streams carry the bytes as binary WebSocket messages with no framing of hyco-pipe's own, so a "
        "hyco-pipe listener serves any WebSocket sender and a relay-connect address talks to any listener. "
        "Between two hyco peers each direction also ends with an end record (its byte count, and an exec: "
        "command's exit status) that the other side confirms, so a session succeeds only when the whole "
        "stream arrived; a TCP peer of a session that failed gets a reset, never a clean FIN. (Unix stream "
        "sockets have no reset: a Unix peer sees the same end either way, so only the exit status tells.) "
        "Backpressure holds end to end: a slow reader slows the writer, and each connection buffers at most "
        "about 2.5 MiB per direction however large the stream.\n\n"
        "Errors: a failure opening the second address closes the first and exits with the status of the "
        "failure (for example 1 for a refused TCP connection, 3 when the relay refuses the token, 4 when the "
        "entity has no listener). A stream cut short (the relay connection lost mid-transfer, a write error) "
        "exits 1, never 0.",
        {
            {"hyco-pipe -x @cs.txt relay-listen:db tcp:127.0.0.1:5432",
             "On the database host: accept relay connections on 'db' and forward each to PostgreSQL."},
            {"hyco-pipe -x @cs.txt tcp-listen:127.0.0.1:15432 relay-connect:db",
             "On the client machine: forward local port 15432 through the relay; then psql -p 15432."},
            {"hyco-pipe -x @cs.txt relay-listen:shell 'exec:sh -i 2>&1'",
             "Serve a command: every sender gets its own shell process."},
            {"echo hello | hyco-pipe - relay-connect:echo", "Send stdin through the relay and print the reply."},
            {"hyco-pipe -x @cs.txt relay-listen:web tcp:127.0.0.1:8080",
             "Publish a local web server: HTTP requests to https://NAMESPACE/web/... reach it as /..., and "
             "WebSocket senders on 'web' get a TCP stream to it."},
            {"hyco-pipe -v tcp-listen:8080 mirror:", "A local echo server that logs each connection."},
        },
        {{"ADDRESS TYPES", address_types_help()}, cli::environment_section()},
    };
}

void PipeFlags::declare(cli::Tool& tool) {
    CLI::App& app = tool.app();
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::auth, Exit::not_found, Exit::timeout,
                        Exit::rejected, Exit::token_expired, Exit::interrupted});
    app.footer(address_types_summary() + "\n" + app.get_footer());
    std::vector<std::string> types;
    for (const AddressType& t : address_types()) types.push_back(t.takes_argument ? std::string(t.name) + ":" : std::string(t.name));
    types.push_back("-");
    tool.suggest(app.add_option("ADDRESS1", address1, "First address (see ADDRESS TYPES)"), types);
    tool.suggest(app.add_option("ADDRESS2", address2, "Second address"), types);
    app.add_option("--config", config_file,
                   "Run the forwards listed in FILE, one per line: [NAME] ADDRESS1 ADDRESS2 (quote an address "
                   "with blanks; # starts a comment), all in this one process, instead of ADDRESS1 ADDRESS2")
        ->type_name("FILE")
        ->group("Forwards");
    app.add_option("-f,--forward", forwards,
                   "Run the forward '[NAME] ADDRESS1 ADDRESS2' (repeatable; with --config, in addition to its "
                   "forwards). Each forward needs a listening address; its log lines start with [NAME]")
        ->type_name("FORWARD")
        ->allow_extra_args(false)
        ->group("Forwards");
    app.add_flag("-u,--unidirectional", unidirectional, "Copy only from ADDRESS1 to ADDRESS2")->group("Streams");
    app.add_flag("-U,--reverse", reverse, "Copy only from ADDRESS2 to ADDRESS1")->group("Streams");
    app.add_option("-t,--linger", linger,
                   "Once one direction has ended, end the session after DURATION even if the other is still "
                   "open (default: wait for both)")
        ->type_name("DURATION")
        ->group("Streams");
    app.add_option("-T,--idle-timeout", idle, "End a session after DURATION without a byte in either direction")
        ->type_name("DURATION")
        ->group("Streams");
    app.add_option("--http-timeout", http_timeout,
                   "relay-listen: give up an HTTP request whose target has not begun to answer after DURATION "
                   "(the relay answers the sender 504 after 60 s)")
        ->type_name("DURATION")
        ->capture_default_str()
        ->group("Streams");
    app.add_option("--max-connections", max_connections,
                   "Server mode: at most N sessions at once (1 to 100000); further connections wait")
        ->type_name("N")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}).description(""))
        ->group("Streams");
    app.add_flag("-1,--once", once, "Server mode: serve one connection, then exit with its status")->group("Streams");
    dump.declare(app);
    app.add_flag("--json", json,
                 "Report each session's end as a JSON line on stderr: bytes each way, duration, close code, complete "
                 "or why not")
        ->group("Diagnostics");
    conn.declare(tool, app, true);
    client.declare(tool, app, "Offer this WebSocket subprotocol on relay-connect (repeatable)");
    keepalive.declare(tool, app);
}

Result<PipeConfig> PipeFlags::resolve() const {
    if (address1.empty()) return make_error(Exit::usage, "", "ADDRESS1 is required (or --config FILE, or --forward)");
    if (address2.empty()) return make_error(Exit::usage, "", "ADDRESS2 is required");
    return resolve_pair(address1, address2);
}

Result<std::vector<PipeConfig>> PipeFlags::resolve_forwards() const {
    if (!address1.empty())
        return make_error(Exit::usage, address1, "give either ADDRESS1 ADDRESS2 or --config/--forward, not both");
    std::vector<ForwardSpec> specs;
    if (!config_file.empty()) {
        std::ifstream in(config_file, std::ios::binary);
        if (!in) return make_error(Exit::usage, config_file, "cannot read the file");
        std::ostringstream text;
        text << in.rdbuf();
        auto list = parse_forward_file(text.str(), config_file);
        if (!list) return list.error();
        specs = std::move(*list);
    }
    for (std::size_t i = 0; i < forwards.size(); ++i) {
        auto spec = parse_forward_line(forwards[i], fmt::format("--forward #{}", i + 1),
                                       std::to_string(specs.size() + 1));
        if (!spec) return spec.error();
        if (spec->address1.empty()) return make_error(Exit::usage, spec->origin, "empty forward");
        specs.push_back(std::move(*spec));
    }
    if (auto st = check_forward_names(specs); !st) return st.error();
    std::vector<PipeConfig> out;
    for (const ForwardSpec& spec : specs) {
        auto c = resolve_pair(spec.address1, spec.address2);
        if (!c) return make_error(c.error().code, spec.origin, c.error().message());
        if (!c->listener())
            return make_error(Exit::usage, spec.origin,
                              "neither address listens: each forward needs a tcp-listen:, unix-listen: or "
                              "relay-listen: address");
        if (c->first.kind == AddressKind::stdio || c->second.kind == AddressKind::stdio)
            return make_error(Exit::usage, spec.origin, "stdio cannot be part of a forward");
        c->name = spec.name;
        out.push_back(std::move(*c));
    }
    return out;
}

Result<PipeConfig> PipeFlags::resolve_pair(const std::string& first, const std::string& second) const {
    PipeConfig c;
    auto a1 = parse_address(first);
    if (!a1) return a1.error();
    auto a2 = parse_address(second);
    if (!a2) return a2.error();
    if (auto st = check_addresses(*a1, *a2); !st) return st.error();
    c.first = std::move(*a1);
    c.second = std::move(*a2);
    if (unidirectional && reverse) return make_error(Exit::usage, "-u and -U", "choose one direction");
    c.direction = unidirectional ? Direction::forward : reverse ? Direction::reverse : Direction::both;
    auto l = duration_flag("-t", linger);
    if (!l) return l.error();
    c.linger = *l;
    auto i = duration_flag("-T", idle);
    if (!i) return i.error();
    c.idle = *i;
    auto ht = duration_flag("--http-timeout", http_timeout);
    if (!ht) return ht.error();
    if (ht->count() <= 0) return make_error(Exit::usage, "--http-timeout", "must be longer than zero");
    c.http_timeout = *ht;
    c.max_connections = max_connections;
    c.once = once;
    c.dump = dump;
    c.json = json;
    auto options = client.resolve();
    if (!options) return options.error();
    c.client = std::move(*options);
    c.verbose = c.client.verbose;
    auto ka = keepalive.resolve();
    if (!ka) return ka.error();
    c.keepalive = *ka;
    if (c.first.is_relay() || c.second.is_relay()) {
        auto t = conn.resolve(false);
        if (!t) return t.error();
        for (Address* a : {&c.first, &c.second}) {
            if (!a->is_relay()) continue;
            if (a->path.empty()) a->path = t->entity;
            if (a->path.empty())
                return make_error(Exit::usage, fmt::format("address '{}'", a->text),
                                  "no Hybrid Connection named: write it after the colon, or use --path or "
                                  "EntityPath");
        }
        c.relay = std::move(*t);
    }
    return c;
}

}  // namespace hyco::pipe
