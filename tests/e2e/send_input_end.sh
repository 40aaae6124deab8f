#!/usr/bin/env bash
# How hyco-send's input ends decides how the connection ends: input that
# ends without a byte (/dev/null) still sends Close, so the listener's
# command sees EOF and the sender exits 0; a listener command that exits
# early closes the listener's side; an input that fails to read is an
# error (exit 1, a reason), never a clean end with data missing.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BASE_CS=$HYCO_CONNECTION_STRING

export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=cat"
listen_start cat -e cat </dev/null
rc=0
timeout 20 hyco-send </dev/null >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 0 ] || fail "hyco-send </dev/null against cat: exit $rc (124: no Close was sent): $(cat "$T/err")"
pass "empty input sends Close and ends cleanly"

# stdin that cannot be read (a directory): exit 1 with the reason.
rc=0
timeout 20 hyco-send <"$T" >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "unreadable stdin: exit $rc: $(cat "$T/err")"
grep -q '^hyco-send: error: .*Is a directory' "$T/err" || fail "stderr: $(cat "$T/err")"
pass "a read error on stdin is an error"

# The listener's command exits at once without output: the listener closes
# its side; the sender goes on until its own input ends (half-close), then
# exits with the command's status, as ssh does.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=quits"
listen_start quits -e 'echo bye >&2; exit 1' </dev/null
rc=0
(sleep 2; echo late) | timeout 20 hyco-send >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "after the listener's command exited 1: exit $rc: $(cat "$T/err")"
grep -qF 'the remote command: exited with status 1' "$T/err" || fail "stderr: $(cat "$T/err")"
pass "a listener command that exits closes the listener's side; its status is the sender's"
