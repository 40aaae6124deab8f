#!/usr/bin/env bash
# Message limits end the conversation: -m exits after the first reply and
# --max-messages N after N, writing nothing more, even when the listener
# keeps talking (a peer that never stops gets 2 s to answer our Close).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BASE_CS=$HYCO_CONNECTION_STRING

export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=lim"
listen_start l -e 'seq 1 1000' </dev/null
out=$(timeout 20 hyco-send -m hi) || fail "-m: exit $?"
[ "$out" = 1 ] || fail "-m printed more than the first reply: $(printf '%s' "$out" | wc -l) lines"
out=$(timeout 20 hyco-send --max-messages 3 </dev/null) || fail "--max-messages: exit $?"
[ "$out" = "$(printf '1\n2\n3')" ] || fail "--max-messages 3 printed: $(printf '%s' "$out" | head -c 100)"
out=$(timeout 20 hyco-send -m a -m b --max-messages 1 --wait 5s) || fail "--wait: exit $?"
[ "$out" = 1 ] || fail "--max-messages 1 with --wait printed: $(printf '%s' "$out" | head -c 100)"
hyco_stop_pid "$LISTEN_PID"
pass "-m and --max-messages stop the output at the limit"

# A listener whose command never stops and ignores its stdin.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=ticker"
listen_start t -e 'while :; do echo tick; sleep 0.1; done' </dev/null
rc=0
out=$(timeout 20 hyco-send -m hi) || rc=$?
[ "$rc" = 0 ] || fail "-m against an endless talker: exit $rc (124: it never ended)"
[ "$out" = tick ] || fail "-m against an endless talker printed: $(printf '%s' "$out" | head -c 100)"
pass "a peer that keeps talking does not keep hyco-send"

# The listener side: --once --max-messages 1 keeps one message.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=lone"
listen_start one --once --max-messages 1 </dev/null
seq 1000 | timeout 20 hyco-send >/dev/null || true
wait_exit "$LISTEN_PID" 20 || fail "listener --once did not exit"
[ "$(cat "$HYCO_TEST_TMP/one.out")" = 1 ] || fail "listener kept $(wc -l <"$HYCO_TEST_TMP/one.out") lines"
pass "hyco-listen --max-messages 1 writes one message"

# Bad values are usage errors.
expect_status 2 hyco-send --max-messages -1 -m x
expect_err "expected a whole number"
