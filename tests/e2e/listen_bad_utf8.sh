#!/usr/bin/env bash
# Text that is not UTF-8 from a remote sender (a path suffix with %FF) or
# cut from a long description must not break the listener's --json output
# or its control channel: the sender is served, and so is the next one.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BASE_CS=$HYCO_CONNECTION_STRING
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=utf"

listen_start l --json -e cat </dev/null
out=$(echo hi | timeout 20 hyco-send --suffix $'caf\xff') || fail "non-UTF-8 suffix: exit $?"
[ "$out" = hi ] || fail "non-UTF-8 suffix: got '$out'"
out=$(echo again | timeout 20 hyco-send) || fail "next sender: exit $?"
[ "$out" = again ] || fail "next sender: got '$out'"
grep -q '"event":"offline"' "$HYCO_TEST_TMP/l.err" && fail "the control channel dropped: $(cat "$HYCO_TEST_TMP/l.err")"
grep -q '"path":"caf' "$HYCO_TEST_TMP/l.err" || fail "no JSON line for the suffix: $(cat "$HYCO_TEST_TMP/l.err")"
pass "a non-UTF-8 path suffix is reported and served"
hyco_stop_pid "$LISTEN_PID"

# A 200-byte cut through a two-byte character in --reject's description.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=long"
listen_start r --json --reject "503 $(printf 'a%.0s' $(seq 199))é tail" </dev/null
rc=0
echo hi | timeout 20 hyco-send 2>"$T/err" || rc=$?
[ "$rc" = 6 ] || fail "rejected sender: exit $rc: $(cat "$T/err")"
grep -q '503 aaaa' "$T/err" || fail "sender stderr: $(cat "$T/err")"
pass "a long multi-byte description is cut at a character boundary"
