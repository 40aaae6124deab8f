#!/usr/bin/env bash
# 25 listeners per entity are accepted, the 26th is refused with 403; a
# listener on another entity is unaffected.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
timeout 30 node "$WS_TOOL" listeners cap 26 hold=15000 >"$HYCO_TEST_TMP/l" &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 20 bash -c "until grep -q done '$HYCO_TEST_TMP/l'; do sleep 0.1; done" || fail "$(cat "$HYCO_TEST_TMP/l")"
[ "$(grep -c '^open' "$HYCO_TEST_TMP/l")" = 25 ] || fail "expected 25 open: $(cat "$HYCO_TEST_TMP/l")"
grep -q "^status 403 ListenerQuotaExceeded: entity 'cap' already has the maximum of 25 listeners" "$HYCO_TEST_TMP/l" ||
    fail "26th: $(cat "$HYCO_TEST_TMP/l")"
out=$(timeout 20 node "$WS_TOOL" probe listen other)
[ "$out" = open ] || fail "other entity: $out"
echo ok
