#!/usr/bin/env bash
# Exit status after a close: 0 when the peer closes normally (1000), a
# non-zero status and a one-line reason for an abnormal close code (1011),
# and 130 after Ctrl-C on hyco-listen, whose peer then exits 1 (an interrupted
# stream is never a complete one).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
require_node_modules
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs codes)
closer() {  # closer CODE: a Node ws sender that sends "hi" and closes with CODE
    timeout 20 node -e '
      const WebSocket = require("ws"), hyco = require("hyco-ws");
      const kv = {}; for (const s of process.env.HYCO_CONNECTION_STRING.split(";")) { const i = s.indexOf("="); if (i > 0) kv[s.slice(0, i).toLowerCase()] = s.slice(i + 1); }
      const host = /^sb:\/\/([^/]+?)\/?$/.exec(kv.endpoint)[1];
      const tok = hyco.createRelayToken("http://" + host + "/codes", kv.sharedaccesskeyname, kv.sharedaccesskey);
      const ws = new WebSocket("ws://" + host + "/$hc/codes?sb-hc-action=connect", { headers: { ServiceBusAuthorization: tok } });
      ws.on("open", () => { ws.send("hi"); setTimeout(() => ws.close(Number(process.argv[1]), "test close"), 200); });
      ws.on("close", () => process.exit(0));
      ws.on("error", (e) => { console.error(e.message); process.exit(1); });' "$1"
}

listen_start ok --once </dev/null
closer 1000 || fail "sender 1000"
wait_exit "$LISTEN_PID" 10 || fail "listener did not exit after 1000"
[ "$EXIT_RC" = 0 ] || fail "close 1000: exit $EXIT_RC: $(cat "$HYCO_TEST_TMP/ok.err")"
[ "$(cat "$HYCO_TEST_TMP/ok.out")" = hi ] || fail "data: $(cat "$HYCO_TEST_TMP/ok.out")"

listen_start bad --once </dev/null
closer 1011 || fail "sender 1011"
wait_exit "$LISTEN_PID" 10 || fail "listener did not exit after 1011"
[ "$EXIT_RC" = 1 ] || fail "close 1011: exit $EXIT_RC"
grep -q '^hyco-listen: error: .*1011.*test close' "$HYCO_TEST_TMP/bad.err" || fail "stderr: $(cat "$HYCO_TEST_TMP/bad.err")"

mkfifo "$HYCO_TEST_TMP/in"
exec 5<>"$HYCO_TEST_TMP/in"
listen_start int </dev/null
timeout 20 hyco-send -v <&5 >/dev/null 2>"$HYCO_TEST_TMP/s.err" &
spid=$!
hyco_cleanup_add "hyco_stop_pid $spid"
wait_for "$HYCO_TEST_TMP/int.err" accepted 10 || fail "not accepted"
kill -INT "$LISTEN_PID"
wait_exit "$LISTEN_PID" 10 || fail "listener ignored SIGINT"
[ "$EXIT_RC" = 130 ] || fail "Ctrl-C: expected 130, got $EXIT_RC"
wait_exit "$spid" 10 || fail "sender not closed by the listener's Ctrl-C"
# An interrupted peer never looks like a complete stream: it closes with an
# error code, and the other side says so.
[ "$EXIT_RC" = 1 ] || fail "sender after its listener's Ctrl-C: exit $EXIT_RC: $(cat "$HYCO_TEST_TMP/s.err")"
grep -q '^hyco-send: error: .*interrupted' "$HYCO_TEST_TMP/s.err" || fail "stderr: $(cat "$HYCO_TEST_TMP/s.err")"
echo ok
