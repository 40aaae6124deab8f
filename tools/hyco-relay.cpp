// hyco-relay: a local Azure Relay Hybrid Connections service for offline
// development and tests; Microsoft's clients work against it unmodified.
#include "tools/common/tool.h"
#include "tools/hyco-relay/config.h"
#include "tools/hyco-relay/relay.h"

using namespace hyco;

namespace {

cli::ToolInfo info() {
    return {
        "hyco-relay",
        "run a local Azure Relay Hybrid Connections service",
        "hyco-relay behaves like the Azure Relay service on the wire: listeners open control channels at "
        "/$hc/ENTITY?sb-hc-action=listen, WebSocket senders connect at /$hc/ENTITY and are bridged to a listener "
        "through an accept rendezvous, and HTTP senders at /ENTITY are relayed as request and response messages. "
        "Tokens are checked like the service does (signature over the raw 'sr', expiry, audience, Listen/Send/"
        "Manage rights), and every refusal carries the real status code with a reason phrase naming the failed "
        "check.\n\n"
        "Once it accepts connections, hyco-relay prints on stdout a connection string for its management rule "
        "(with ;UseDevelopmentEmulator=true when it serves plain ws://) as its first line, so a script can "
        "'read' it, then one line for every other rule whose key it generated (--rule NAME::RIGHTS), since "
        "that key exists nowhere else. Everything else goes to stderr.\n\n"
        "It binds --host exactly (127.0.0.1 by default: only this machine can connect). --host 0.0.0.0 or :: "
        "serves every interface; without --tls, tokens and request data then travel in clear text, and the "
        "startup log says so.\n\n"
        "Rules come from --rule or the config file; without any, a rule named RootManageSharedAccessKey with a "
        "freshly generated key and all rights is created. Entities are created when a listener first opens "
        "one (senders to a path no listener has opened get 404, or 502 over HTTP) unless --declared-only is "
        "given; --entity declares one, optionally letting senders connect without a token.\n\n"
        "GET /ENTITY?api-version=2016-07 with a token in the Authorization header answers the entity's runtime "
        "information (ListenerCount, RequiresClientAuthorization, CreatedAt) as an Atom entry, the way the "
        "service's management endpoint does for .NET's GetRuntimeInformationAsync.\n\n"
        "GET /$relay/status returns a JSON report of entities, listeners and open connections (no keys or "
        "tokens); it needs a token with Manage rights for the whole namespace (Authorization or "
        "ServiceBusAuthorization header, or sb-hc-token query) unless --status-public is given. SIGUSR1 prints "
        "it to stderr: only the relay's own user (or root) can send that signal.\n\n"
        "At most --max-connections connections are served at once; beyond it a new connection is answered 503 "
        "with Retry-After (a few dozen), then closed at once, so the relay never runs out of descriptors. A "
        "listener that does not read its control channel gets at most 4 MiB queued; new senders for it are "
        "then answered 503.\n\n"
        "SIGINT and SIGTERM close every connection cleanly (WebSockets with 1001); the relay then exits 130, "
        "the status of an interrupted hyco tool (a second signal closes everything at once).",
        {
            {"hyco-relay --port 0", "Serve ws:// on 127.0.0.1 on a free port; print its connection string."},
            {"coproc RELAY { exec hyco-relay; }; read -r HYCO_CONNECTION_STRING <&\"${RELAY[0]}\"",
             "Start it in the background of a script and wait for its connection string."},
            {"hyco-relay --rule listener::listen --rule sender::send --entity hyco --declared-only",
             "Two rules with generated keys; only entity 'hyco' exists (others are 404)."},
            {"hyco-relay --entity public:anonymous", "Senders to 'public' need no token; listeners still do."},
            {"hyco-relay --tls --port 9443", "Serve wss:// with a generated self-signed certificate."},
            {"hyco-relay --host 0.0.0.0 --cert relay.pem --key relay.key --port 9443",
             "Serve wss:// on every interface with your certificate (it must name the host clients dial)."},
            {"curl -H \"Authorization: $TOKEN\" http://127.0.0.1:PORT/\\$relay/status",
             "Read the status report; TOKEN is a Manage token for the whole namespace (from hyco-token create "
             "in its namespace-wide mode, with the banner's connection string)."},
            {"hyco-relay --token-grace 0 --rendezvous-timeout 2s -v",
             "Test settings: close expired control channels at once, short accept window, log every message."},
        },
        {{"CONFIG FILE",
          "--config FILE reads JSON: {\"rules\": [{\"name\": \"r\", \"key\": \"...\", \"rights\": [\"Listen\", "
          "\"Send\"]}], \"entities\": [{\"path\": \"hyco\", \"requiresClientAuthorization\": false}], "
          "\"declaredOnly\": true}. A rule without \"key\" gets a generated one. Keep keys in this file rather than "
          "on the command line, where other users can see them."}},
    };
}

}  // namespace

int main(int argc, char** argv) {
    cli::Tool tool(info());
    CLI::App& app = tool.app();
    tool.exit_statuses({Exit::ok, Exit::failure, Exit::usage, Exit::interrupted});
    relay::Options o;
    app.add_option("--host", o.host, "Address to bind (127.0.0.1, ::1, 0.0.0.0...)")->capture_default_str();
    app.add_option("-p,--port", o.port, "Port to listen on; 0 picks a free one")->capture_default_str();
    app.add_option("--namespace", o.namespace_name, "Host name clients use (default: the bind address)")
        ->type_name("HOST");
    // A key given here is scrubbed from argv after parsing and redacted in
    // errors; --config FILE keeps it out of the command line altogether.
    tool.secret(app.add_option("--rule", o.rules,
                               "Shared access rule NAME:RIGHTS or NAME:KEY:RIGHTS (rights: listen,send,manage)")
                    ->type_name("RULE"));
    app.add_option("--entity", o.entities, "Declare an entity; PATH:anonymous lets senders skip the token")
        ->type_name("PATH");
    tool.complete(app.add_option("--config", o.config_file, "JSON file with rules and entities")->type_name("FILE"),
                  cli::Complete::file);
    app.add_flag("--declared-only", o.declared_only, "Answer 404 for entities that were not declared");
    app.add_flag("--tls", o.tls, "Serve wss:// (with a generated self-signed certificate unless --cert is given)");
    tool.complete(app.add_option("--cert", o.cert_file, "PEM certificate for wss:// (implies --tls)")->type_name("FILE"),
                  cli::Complete::file);
    tool.complete(app.add_option("--key", o.key_file, "PEM private key for --cert")->type_name("FILE"),
                  cli::Complete::file);
    app.add_option("--rendezvous-timeout", o.rendezvous_timeout, "How long a sender waits for the listener to accept")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--http-timeout", o.http_timeout, "How long an HTTP request waits for a response (then 504)")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--token-grace", o.token_grace, "How long after its token expires a control channel stays open")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--idle-timeout", o.idle_timeout,
                   "Close a listener's control channel after DURATION without a frame from it, to check that "
                   "listeners send keep-alives (0: never)")
        ->type_name("DURATION")
        ->capture_default_str();
    app.add_option("--max-listeners", o.max_listeners, "Listeners allowed per entity")->capture_default_str();
    app.add_option("--max-connections", o.max_connections,
                   "Open connections served at once; more get 503 with Retry-After (default: the descriptor "
                   "limit, ulimit -n, minus 64, at most 4096; more raises the soft limit, up to the hard one)")
        ->type_name("N");
    app.add_flag("--status-public", o.status_public,
                 "Answer GET /$relay/status without a token (by default it needs a token with Manage rights)");
    app.add_flag("-v,--verbose", o.verbose, "Log control messages (tokens redacted) and connection lifetimes");

    bool interrupted = false;
    int rc = tool.main(argc, argv, [&]() -> Status {
        auto config = relay::resolve(o);
        if (!config) return config.error();
        relay::Relay relay(std::move(*config));
        Status st = relay.run();
        interrupted = relay.interrupted();
        return st;
    });
    // A signal is the normal way to stop a server, so no "error:" line (the
    // log says which signal and "stopped"), but the status is 130 as the exit
    // table says for every hyco tool: scripts can tell "stopped" from "done".
    return rc == 0 && interrupted ? static_cast<int>(Exit::interrupted) : rc;
}
