#!/usr/bin/env bash
# A kept HTTP rendezvous is used only while its listener is online on the
# entity (issue 9): a hyco-https server restarted in the same process leaves
# its old rendezvous open, and Node's keep-alive agent sends its next request
# on the same connection; that request must reach the new listener through
# its control channel.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start -v --status-public
R="$HYCO_INTEROP_DIR/relay"
timeout 90 node "$R/listener_restart.js" restart >"$T/out" 2>"$T/err" || fail "scenario: $(cat "$T/out" "$T/err")"
mapfile -t lines <"$T/out"
[ "${#lines[@]}" = 2 ] || fail "expected 2 responses: $(cat "$T/out" "$T/err")"
[ "${lines[0]}" = '{"status":200,"by":"A","reused":false}' ] || fail "first request: ${lines[0]}"
[ "${lines[1]}" = '{"status":200,"by":"B","reused":true}' ] ||
    fail "after the restart, on the same connection: ${lines[1]} (expected listener B)"
grep -q 'the listener of the kept http-rendezvous #[0-9]* is offline; routing afresh' "$HYCO_RELAY_LOG" ||
    fail "the relay did not route afresh"
echo ok
