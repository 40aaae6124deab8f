// The prose of hyco-listen's --help and man page.
#include "tools/hyco-listen/listen_info.h"

#include "tools/common/connect_flags.h"

namespace listen_tool {

hyco::cli::ToolInfo info() {
    return {
        "hyco-listen",
        "accept connections on an Azure Relay Hybrid Connection and serve them on stdio or a command",
        "hyco-listen registers as a listener on a Hybrid Connection and accepts the senders the relay hands "
        "it (hyco-send, .NET, Node or any WebSocket client), without opening a port: like nc -l, but the "
        "address is a relay entity.\n\n"
        "By default it serves one connection at a time on stdin and stdout and goes back to accepting when "
        "it ends (senders that arrive meanwhile are rejected with 503); --once exits after the first "
        "connection. It also stops when stdout's reader goes away (as in hyco-listen | head): at once while "
        "no connection is open, else when the connection ends; exit 0, as a filter ends on EPIPE. With "
        "--exec (-e) every connection gets its own child process, whose stdin and stdout are the "
        "connection, many at once (--max-connections), like inetd or websocat's exec:. The command means "
        "what /bin/sh -c makes of it; one of plain words only starts directly, without a shell. The child's "
        "exit closes the connection and the connection's end closes the child's stdin.\n\n"
        "A connection counts as complete only when the whole stream arrived: with a hyco sender, end records "
        "carry each side's byte count (and the child's exit status, which becomes hyco-send's exit status), "
        "so a sender that is killed or interrupted mid-stream fails the connection ('the stream ended after "
        "N without its end record'), and --once then exits 1, never 0 with a partial file. Other senders are "
        "judged by their close code: 1000, 1001 and 1005 are a normal end.\n\n"
        "Framing is as in hyco-send: text lines by default, -b binary, -0 NUL-separated. At the end of "
        "non-empty input a WebSocket Close is sent; with empty input (stdin at /dev/null) or --no-close the "
        "listener only receives until the sender closes.\n\n"
        "The control channel to the relay is kept alive with a frame every --keepalive: by default a Ping, "
        "whose missing answer (--ping-timeout) shows a dead channel, or with --keepalive-frame pong an "
        "unsolicited Pong like Microsoft's listeners send, for relays or proxies that object to Pings. It is "
        "re-established after any drop after 0, 1, 2, 5, 10, then 30 s (back to 0 once a connection stayed "
        "online for 30 s, so a relay or proxy that accepts and drops at once is not hammered), and its token is "
        "renewed with renewToken at 80 % of its lifetime when hyco-listen mints its own. Every failed attempt "
        "prints one line on stderr, even without -v: 'offline: REASON; reconnecting in N s'. hyco-listen stops "
        "only on what waiting cannot fix: the relay says the entity does not exist (404, exit status 4); a "
        "pre-issued token (--token, HYCO_TOKEN) has expired, which it cannot renew (exit status 7); or, before "
        "it was ever online, the relay refuses the credentials (401, 403, exit status 3) or its certificate "
        "fails verification (exit status 1, as for hyco-send; --ca FILE names a private CA).\n\n"
        "Connections can be refused: --reject 'STATUS DESCRIPTION' refuses all (maintenance); --accept-cmd "
        "runs a command for each sender with the connection's metadata in its environment and accepts when "
        "it exits 0; otherwise the first line it prints, 'STATUS DESCRIPTION', is the rejection (default "
        "403). The sender sees that status and description.\n\n"
        "With -v, the other state changes (online, accepted, rejected, closed) are reported on stderr too; "
        "--json reports them all, offline included, as one JSON object per line on stderr instead. Text that "
        "came from the network (close reasons, rejection descriptions) is printed with control characters "
        "escaped (\\x1B, \\r, \\n).",
        {
            {"hyco-listen -x @cs.txt", "Chat with one sender at a time on the terminal (the connection string is in cs.txt)."},
            {"hyco-listen -b --once > upload.bin", "Receive one binary stream into a file."},
            {"hyco-listen -e cat --max-connections 100", "An echo service: one cat per connection."},
            {"hyco-listen -e 'exec ./handler' --accept-cmd 'test \"$HYCO_HEADER_X_TEAM\" = blue'",
             "Serve only senders that send the header X-Team: blue."},
            {"hyco-listen --reject '503 down for maintenance until 14:00'", "Turn everyone away, politely."},
        },
        {{"CONNECTION ENVIRONMENT",
          "--exec children and --accept-cmd commands find the connection's metadata in their environment "
          "(and not our credentials). Each runs in a process group of its own, which is stopped as a whole "
          "when its connection is over or the accept command takes too long. The accept command's stdin is "
          "empty.\n\n"
          "HYCO_ID\nThe relay's id of the connection.\n\n"
          "HYCO_REMOTE_ADDR, HYCO_REMOTE_PORT\nThe sender's address as the relay saw it.\n\n"
          "HYCO_ENTITY\nThe Hybrid Connection.\n\n"
          "HYCO_PATH\nThe path the sender added below the entity (hyco-send --suffix), decoded.\n\n"
          "HYCO_QUERY\nThe sender's query string, without the relay's sb-hc-* parameters.\n\n"
          "HYCO_SUBPROTOCOL\nThe subprotocol chosen for the connection, if any.\n\n"
          "HYCO_HEADER_<NAME>\nEach handshake header of the sender, name upper-cased with '-' as '_' "
          "(HYCO_HEADER_USER_AGENT)."},
         hyco::cli::environment_section()}
    };
}

}  // namespace listen_tool
