#!/usr/bin/env bash
# A serving hyco-listen (no --once) whose stdout's reader goes away in the
# middle of a connection stops listening once that connection ends, exit 0,
# as a filter stops on EPIPE: every later sender would only be failed. The
# sender is told that the peer stopped receiving (exit 1).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs serving)
listen_into_fifo -b
# The reader takes 100 kB, then goes.
head -c 100000 <"$HYCO_TEST_TMP/out.fifo" >"$HYCO_TEST_TMP/got.bin" &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l.err" online 10 || fail "listener not online: $(cat "$HYCO_TEST_TMP/l.err")"
rc=0
head -c 20000000 /dev/zero | timeout 30 hyco-send -b --no-progress >/dev/null 2>"$HYCO_TEST_TMP/s.err" || rc=$?
[ "$rc" = 1 ] || fail "sender exit $rc: $(cat "$HYCO_TEST_TMP/s.err")"
grep -q '^hyco-send: error: .*stopped' "$HYCO_TEST_TMP/s.err" || fail "sender stderr: $(cat "$HYCO_TEST_TMP/s.err")"
[ "$(wc -c <"$HYCO_TEST_TMP/got.bin")" = 100000 ] || fail "the reader got $(wc -c <"$HYCO_TEST_TMP/got.bin") bytes"
wait_for "$HYCO_TEST_TMP/l.rc" '[0-9]' 5 ||
    fail "listener still serving 5 s after its stdout's reader went away: $(tail -n 3 "$HYCO_TEST_TMP/l.err")"
[ "$(cat "$HYCO_TEST_TMP/l.rc")" = 0 ] || fail "listener exit $(cat "$HYCO_TEST_TMP/l.rc"): $(cat "$HYCO_TEST_TMP/l.err")"
grep -q "stdout's reader went away" "$HYCO_TEST_TMP/l.err" || fail "listener stderr: $(cat "$HYCO_TEST_TMP/l.err")"
echo ok
