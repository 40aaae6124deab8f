#!/usr/bin/env bash
# Plain WebSocket senders into hyco-listen (issue 8): Node's `ws` and
# Microsoft's hyco-ws (relayedConnect) offer no subprotocol, so hyco-listen
# stays plain (no end records): several MiB in binary messages of assorted
# sizes come back byte-exact through `-b -e cat`, the sender's Close 1000
# ends the command's input, and the listener exits 0 without an error line;
# and a hyco-ws sender that half-closes with 1001 still gets the answer.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
require_node_modules
relay_start
BASE_CS=$HYCO_CONNECTION_STRING

# node ws
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=nodews"
listen_start nodews -b --once -e cat </dev/null
out=$(HYCO_CONNECTION_STRING=$BASE_CS timeout 90 node "$HYCO_INTEROP_DIR/pipe_ws_sender.js" nodews 3000000) ||
    fail "ws sender: $out"
[ "$out" = "ok 3000000" ] || fail "ws sender: $out"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit after --once"
[ "$EXIT_RC" = 0 ] || fail "the listener exited $EXIT_RC: $(cat "$T/nodews.err")"
grep -q 'error' "$T/nodews.err" && fail "the listener logged: $(cat "$T/nodews.err")"
pass "Node ws -> hyco-listen -b -e cat: 3 MB back byte-exact, listener exit 0"

# hyco-ws
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=hycows"
listen_start hycows -b --once -e cat </dev/null
out=$(HYCO_CONNECTION_STRING=$BASE_CS timeout 90 node "$HYCO_INTEROP_DIR/hyco_ws_sender.js" hycows 3000000) ||
    fail "hyco-ws sender: $out"
[ "$out" = $'protocol -\nok 3000000\nclosed 1000' ] || fail "hyco-ws sender: $out"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit after --once"
[ "$EXIT_RC" = 0 ] || fail "the listener exited $EXIT_RC: $(cat "$T/hycows.err")"
grep -q 'error' "$T/hycows.err" && fail "the listener logged: $(cat "$T/hycows.err")"
pass "hyco-ws -> hyco-listen -b -e cat: 3 MB back byte-exact, listener exit 0"

# hyco-ws half-closing with 1001, the code the service gives a listener when
# its sender shut down: for hyco-listen that is "the sender sends no more",
# so the command gets EOF, and its answer, written only after EOF, still
# reaches the sender, which keeps reading after its Close.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=hycows1001"
listen_start hycows1001 --once -e 'n=$(wc -l); echo "lines: $n"' </dev/null
out=$(HYCO_CONNECTION_STRING=$BASE_CS timeout 30 node "$HYCO_INTEROP_DIR/hyco_ws_half_close.js" hycows1001 1001 one two) ||
    fail "hyco-ws half-close: $out"
[ "$out" = $'protocol -\nsent close 1001\ntext lines: 2\nclosed 1001' ] ||
    fail "hyco-ws after its Close 1001 got: $out (listener: $(cat "$T/hycows1001.err"))"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit after --once"
[ "$EXIT_RC" = 0 ] || fail "the listener exited $EXIT_RC after Close 1001: $(cat "$T/hycows1001.err")"
grep -q 'error' "$T/hycows1001.err" && fail "the listener logged: $(cat "$T/hycows1001.err")"
pass "hyco-ws closing with 1001: the answer after EOF still arrives, listener exit 0"
