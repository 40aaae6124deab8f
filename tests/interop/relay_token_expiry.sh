#!/usr/bin/env bash
# A control channel whose token expires without renewal is closed with
# 1008; one that sends renewToken stays open.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --token-grace 0
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
timeout 30 node "$WS_TOOL" listen exp seconds=2 hold=8000 >"$HYCO_TEST_TMP/plain" &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 30 node "$WS_TOOL" listen exp seconds=2 renew=700 hold=5000 >"$HYCO_TEST_TMP/renewed" &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 20 bash -c "until grep -q held '$HYCO_TEST_TMP/renewed'; do sleep 0.2; done" || true
grep -q "^closed 1008 The token has expired and was not renewed." "$HYCO_TEST_TMP/plain" ||
    fail "unrenewed channel: $(cat "$HYCO_TEST_TMP/plain")"
grep -q "^listening" "$HYCO_TEST_TMP/renewed" || fail "renewed listener never opened"
grep -q "^closed" "$HYCO_TEST_TMP/renewed" && fail "renewed channel was closed: $(cat "$HYCO_TEST_TMP/renewed")"
grep -q "^held" "$HYCO_TEST_TMP/renewed" || fail "renewed channel: $(cat "$HYCO_TEST_TMP/renewed")"
echo ok
