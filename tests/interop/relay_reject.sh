#!/usr/bin/env bash
# A listener rejects: it gets 410, the sender's upgrade fails with the
# listener's status and description (sb-hc- prefixed with '+' for spaces,
# and node's unprefixed form with %20).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
wait_for() { timeout 10 bash -c "until grep -q '$2' '$1'; do sleep 0.1; done" || fail "no '$2' in $1: $(cat "$1")"; }

node "$WS_TOOL" listen rej behavior=reject code=451 "desc=Go away please" ping=1 >"$HYCO_TEST_TMP/l1" &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l1" listening
wait_for "$HYCO_TEST_TMP/l1" "pong x"  # Ping answered; the unsolicited Pong before it did no harm
out=$(timeout 20 node "$WS_TOOL" send rej)
case "$out" in "status 451 Go away please"*) ;; *) fail "sender saw: $out" ;; esac
wait_for "$HYCO_TEST_TMP/l1" "reject answered 410"
grep -q "accept with-key 127.0.0.1" "$HYCO_TEST_TMP/l1" || fail "accept lacked Sec-WebSocket-Key or remoteEndpoint"

node "$WS_TOOL" listen rej2 behavior=reject code=403 "desc=No entry" unprefixed=1 >"$HYCO_TEST_TMP/l2" &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l2" listening
out=$(timeout 20 node "$WS_TOOL" send rej2)
case "$out" in "status 403 No entry"*) ;; *) fail "sender saw (unprefixed): $out" ;; esac
wait_for "$HYCO_TEST_TMP/l2" "reject answered 410"
echo ok
