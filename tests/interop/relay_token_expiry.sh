#!/usr/bin/env bash
# A control channel whose token expires without renewal is closed with
# 1008; one that sends renewToken stays open. With --verbose the relay logs
# each control message with the token's signature redacted.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --token-grace 0 --verbose
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
grep -q '<- {"renewToken":{"token":"SharedAccessSignature sr=.*&sig=REDACTED&se=' "$HYCO_RELAY_LOG" ||
    fail "renewToken not logged (redacted)"
grep -E 'sig=[^R]|sig%3D[^R]' "$HYCO_RELAY_LOG" && fail "a signature reached the log"
grep -q 'token renewed until' "$HYCO_RELAY_LOG" || fail "renewal not logged"
grep -q 'token expired without renewal; closing with 1008' "$HYCO_RELAY_LOG" || fail "expiry not logged"
grep -Eq 'listener exp #[0-9]+ \([0-9a-f-]+\): closed after [0-9]+s, [0-9]+ bytes in, [0-9]+ bytes out' "$HYCO_RELAY_LOG" ||
    fail "no connection lifetime log"
echo ok
