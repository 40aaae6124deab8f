#!/usr/bin/env bash
# Three hyco-ws listeners on one entity share 100 sender connections: each
# gets some, and together they get all 100.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
R="$HYCO_INTEROP_DIR/relay"
for n in 1 2 3; do
    node "$R/ws_echo_listener.js" shared "l$n" >"$HYCO_TEST_TMP/l$n" 2>&1 &
    hyco_cleanup_add "hyco_stop_pid $!"
done
for n in 1 2 3; do
    timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/l$n'; do sleep 0.1; done" || fail "listener $n offline"
done
out=$(timeout 120 node "$R/ws_many_senders.js" shared 100) || fail "senders: $out"
[ "$out" = "done 100" ] || fail "senders: $out"
total=0
for n in 1 2 3; do
    c=$(grep -c "connection" "$HYCO_TEST_TMP/l$n" || true)
    [ "$c" -ge 1 ] || fail "listener $n got no connection"
    echo "listener $n: $c connections"
    total=$((total + c))
done
[ "$total" = 100 ] || fail "listeners saw $total connections, not 100"
echo ok
