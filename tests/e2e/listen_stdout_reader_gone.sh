#!/usr/bin/env bash
# The reader of hyco-listen's stdout goes away while the stream is idle:
# the listener learns it at once (the pipe's error, not a later write's
# EPIPE) and ends as after EPIPE, exit 0, instead of holding the session
# open for a consumer that is gone. The sender, whose input is still open,
# is told that the peer stopped receiving (exit 1).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs gone)
listen_into_fifo -b --once
# The reader: holds the pipe open until told to go.
exec 7<"$HYCO_TEST_TMP/out.fifo"
wait_for "$HYCO_TEST_TMP/l.err" online 10 || fail "listener not online"
# An idle sender: its stdin, a pipe this script holds open, sends nothing.
mkfifo "$HYCO_TEST_TMP/in.fifo"
exec 8<>"$HYCO_TEST_TMP/in.fifo"
(rc=0
 hyco-send -b --no-progress <"$HYCO_TEST_TMP/in.fifo" >/dev/null 2>"$HYCO_TEST_TMP/s.err" || rc=$?
 echo "$rc" >"$HYCO_TEST_TMP/s.rc") 7<&- 8<&- &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l.err" 'accepted\|connection from\|session' 10 || fail "no session: $(cat "$HYCO_TEST_TMP/l.err")"
sleep 0.5
[ -e "$HYCO_TEST_TMP/l.rc" ] && fail "listener ended before its reader went: $(cat "$HYCO_TEST_TMP/l.err")"
exec 7<&-  # the reader goes; nothing is being written
wait_for "$HYCO_TEST_TMP/l.rc" '[0-9]' 5 || fail "listener still running 5 s after its stdout's reader went away"
[ "$(cat "$HYCO_TEST_TMP/l.rc")" = 0 ] || fail "listener exit $(cat "$HYCO_TEST_TMP/l.rc"): $(cat "$HYCO_TEST_TMP/l.err")"
wait_for "$HYCO_TEST_TMP/s.rc" '[0-9]' 10 || fail "sender still running after the listener ended: $(cat "$HYCO_TEST_TMP/s.err")"
# Nothing it sent was lost, but the other side stopped taking its input.
[ "$(cat "$HYCO_TEST_TMP/s.rc")" = 1 ] || fail "sender exit $(cat "$HYCO_TEST_TMP/s.rc"): $(cat "$HYCO_TEST_TMP/s.err")"
grep -q '^hyco-send: error: .*the peer stopped receiving' "$HYCO_TEST_TMP/s.err" ||
    fail "sender stderr: $(cat "$HYCO_TEST_TMP/s.err")"
exec 8>&-
echo ok
