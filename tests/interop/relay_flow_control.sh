#!/usr/bin/env bash
# A listener that stops reading while the sender writes 48 MiB: the relay
# pushes back instead of queueing (its largest output queue stays under
# 2 MiB), and afterwards every message arrives, complete and in order.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --status-public
R="$HYCO_INTEROP_DIR/relay"
node "$R/flow_listener.js" flow 48 1048576 3000 >"$HYCO_TEST_TMP/l" 2>&1 &
lpid=$!
hyco_cleanup_add "hyco_stop_pid $lpid"
timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/l'; do sleep 0.1; done" || fail "listener offline"
out=$(timeout 120 node "$R/flow_sender.js" flow 48 1048576) || fail "sender: $out"
timeout 60 bash -c "until grep -q '^received' '$HYCO_TEST_TMP/l'; do sleep 0.2; done" || fail "listener: $(cat "$HYCO_TEST_TMP/l")"
grep -q '^received 48$' "$HYCO_TEST_TMP/l" || fail "listener: $(cat "$HYCO_TEST_TMP/l")"
max=$(sed -n 's/^max queued //p' "$HYCO_TEST_TMP/l")
[ -n "$max" ] && [ "$max" -gt 0 ] && [ "$max" -lt 2097152 ] || fail "relay queued $max bytes for a paused reader"
echo "ok (largest queue $max bytes)"
