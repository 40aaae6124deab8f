#!/usr/bin/env bash
# Rendezvous addresses are single-use (a second connect gets 403) and expire
# (a late accept gets 403 while the sender gets 504).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --rendezvous-timeout 1s
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
wait_for() { timeout 10 bash -c "until grep -q '$2' '$1'; do sleep 0.1; done" || fail "no '$2' in $1: $(cat "$1")"; }

node "$WS_TOOL" listen rv behavior=reuse >"$HYCO_TEST_TMP/l1" &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l1" listening
out=$(timeout 20 node "$WS_TOOL" send rv msg=ping)
[ "$out" = $'open\necho ping\nclosed 1000' ] || fail "sender saw: $out"
wait_for "$HYCO_TEST_TMP/l1" "accept answered 101"
wait_for "$HYCO_TEST_TMP/l1" "reuse answered 403"
grep -q "reuse answered 403 Forbidden: the rendezvous address is invalid, expired or already used" \
    "$HYCO_TEST_TMP/l1" || fail "reuse reason: $(cat "$HYCO_TEST_TMP/l1")"

node "$WS_TOOL" listen late behavior=late delay=2000 >"$HYCO_TEST_TMP/l2" &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l2" listening
out=$(timeout 20 node "$WS_TOOL" send late)
case "$out" in "status 504 GatewayTimeout: the listener did not accept"*) ;; *) fail "sender saw: $out" ;; esac
wait_for "$HYCO_TEST_TMP/l2" "late accept answered 403"
echo ok
