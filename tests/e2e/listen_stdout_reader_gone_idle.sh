#!/usr/bin/env bash
# A serving hyco-listen (no --once) with no connection open learns at once
# that its stdout's reader went away (the pipe's error) and stops listening,
# exit 0, instead of accepting the next sender only to fail it; while the
# reader stays, an idle listener stays too.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs idle)
listen_into_fifo -b
exec 7<"$HYCO_TEST_TMP/out.fifo"
wait_for "$HYCO_TEST_TMP/l.err" online 10 || fail "listener not online: $(cat "$HYCO_TEST_TMP/l.err")"
sleep 1
[ -e "$HYCO_TEST_TMP/l.rc" ] && fail "listener ended while its reader was there: $(cat "$HYCO_TEST_TMP/l.err")"
exec 7<&-  # the reader goes; no connection is open
wait_for "$HYCO_TEST_TMP/l.rc" '[0-9]' 5 ||
    fail "listener still serving 5 s after its stdout's reader went away: $(tail -n 3 "$HYCO_TEST_TMP/l.err")"
[ "$(cat "$HYCO_TEST_TMP/l.rc")" = 0 ] || fail "listener exit $(cat "$HYCO_TEST_TMP/l.rc"): $(cat "$HYCO_TEST_TMP/l.err")"
grep -q "stdout's reader went away" "$HYCO_TEST_TMP/l.err" || fail "listener stderr: $(cat "$HYCO_TEST_TMP/l.err")"
echo ok
