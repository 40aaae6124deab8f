#!/usr/bin/env bash
# Text mode both ways: each line a message; a listener with --exec answers
# every line, a --once listener on stdout writes each message and a newline.
# Between two hyco peers the bytes arrive unchanged: a last line without a
# newline arrives without one.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs text)

listen_start l1 --once </dev/null
printf 'hello\nworld\n\nlast line without newline' | timeout 20 hyco-send || fail "hyco-send exit $?"
wait_exit "$LISTEN_PID" 10 || fail "listener did not exit after --once"
[ "$EXIT_RC" = 0 ] || fail "listener exit $EXIT_RC: $(cat "$HYCO_TEST_TMP/l1.err")"
printf 'hello\nworld\n\nlast line without newline' >"$HYCO_TEST_TMP/expected"
cmp "$HYCO_TEST_TMP/expected" "$HYCO_TEST_TMP/l1.out" || fail "listener wrote: $(od -c "$HYCO_TEST_TMP/l1.out" | head)"

listen_start l2 --exec 'while read -r line; do echo "got: $line"; done' </dev/null
out=$(timeout 20 hyco-send -m 'one') || fail "hyco-send -m exit $?"
[ "$out" = "got: one" ] || fail "reply: '$out'"
out=$(timeout 20 hyco-send -m a -m b --max-messages 2) || fail "hyco-send -m -m exit $?"
[ "$out" = $'got: a\ngot: b' ] || fail "replies: '$out'"
echo ok
