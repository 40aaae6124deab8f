#!/usr/bin/env bash
# hyco-ws listener + ws sender through hyco-relay: text and binary messages
# from 1 byte to 16 MiB come back intact, token in the header and in the query.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
R="$HYCO_INTEROP_DIR/relay"

node "$R/ws_echo_listener.js" echo >"$HYCO_TEST_TMP/listener.out" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 10 bash -c "until grep -q 'listening' '$HYCO_TEST_TMP/listener.out'; do sleep 0.1; done" ||
    fail "listener did not come online: $(cat "$HYCO_TEST_TMP/listener.out")"

out=$(timeout 120 node "$R/ws_echo_sender.js" echo header 1 125 126 65535 65536 1048576 16777216) ||
    fail "header-token sender: $out"
[ "$(grep -c '^echo ok' <<<"$out")" = 14 ] || fail "expected 14 echoes: $out"
grep -q '^echo ok: binary 16777216$' <<<"$out" || fail "no 16 MiB binary echo"
grep -q '^closed 1000$' <<<"$out" || fail "close code not passed through: $out"

out=$(timeout 60 node "$R/ws_echo_sender.js" echo query 1 70000) || fail "query-token sender: $out"
[ "$(grep -c '^echo ok' <<<"$out")" = 4 ] || fail "expected 4 echoes: $out"
echo "ok"
