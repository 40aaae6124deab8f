#!/usr/bin/env bash
# --once counts connections that were served, not senders turned away: a
# first sender rejected by --accept-cmd leaves the listener waiting for the
# next, which it serves before exiting. With --exec its exit status is the
# command's when that failed.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs once)

listen_start l --once -e cat \
    --accept-cmd 'if [ "$HYCO_HEADER_X_WHO" = bad ]; then echo "403 go away"; exit 1; fi' </dev/null
rc=0
echo hi | timeout 20 hyco-send -H 'X-Who: bad' 2>"$T/err" || rc=$?
[ "$rc" = 6 ] || fail "first sender: exit $rc: $(cat "$T/err")"
grep -q '403 go away' "$T/err" || fail "first sender: $(cat "$T/err")"
out=$(echo hello | timeout 20 hyco-send -H 'X-Who: good' 2>"$T/err") || fail "second sender: exit $?: $(cat "$T/err")"
[ "$out" = hello ] || fail "second sender got '$out'"
wait_exit "$LISTEN_PID" 10 || fail "listener --once did not exit after serving"
[ "$EXIT_RC" = 0 ] || fail "listener exit $EXIT_RC"
pass "a rejected sender does not use up --once"

# --once -e: the command's failure is the listener's exit status, and the
# sender's too (it carries the remote command's status, as ssh does).
listen_start f --once -e 'cat; exit 3' </dev/null
rc=0
out=$(echo hi | timeout 20 hyco-send 2>"$T/err") || rc=$?
[ "$rc" = 3 ] || fail "sender: exit $rc: $(cat "$T/err")"
grep -q '^hyco-send: error: the remote command: exited with status 3' "$T/err" || fail "sender stderr: $(cat "$T/err")"
[ "$out" = hi ] || fail "sender got '$out'"
wait_exit "$LISTEN_PID" 10 || fail "listener --once did not exit"
[ "$EXIT_RC" = 1 ] || fail "listener exit $EXIT_RC after its command exited 3: $(cat "$HYCO_TEST_TMP/f.err")"
grep -q '^hyco-listen: error: the command: exited with status 3' "$HYCO_TEST_TMP/f.err" ||
    fail "stderr: $(cat "$HYCO_TEST_TMP/f.err")"
pass "--once reports a failing command"
