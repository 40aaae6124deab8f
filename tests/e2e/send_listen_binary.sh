#!/usr/bin/env bash
# Binary mode is byte-exact both ways for a large stream (from a file and
# from a pipe), and with a stdin at /dev/null the receiving side only receives.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs bin)
size=${HYCO_TEST_BYTES:-67108864}
head -c "$size" /dev/urandom >"$HYCO_TEST_TMP/in.bin"

# sender -> listener, input from a file
listen_start up1 -b --once </dev/null
timeout 120 hyco-send -b --no-progress <"$HYCO_TEST_TMP/in.bin" || fail "hyco-send exit $?"
wait_exit "$LISTEN_PID" 30 || fail "listener did not exit"
[ "$EXIT_RC" = 0 ] || fail "listener exit $EXIT_RC: $(cat "$HYCO_TEST_TMP/up1.err")"
[ "$(sha "$HYCO_TEST_TMP/up1.out")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "upload from a file differs"

# sender -> listener, input from a pipe
listen_start up2 -b --once </dev/null
cat "$HYCO_TEST_TMP/in.bin" | timeout 120 hyco-send -b --no-progress || fail "piped hyco-send exit $?"
wait_exit "$LISTEN_PID" 30 || fail "listener did not exit"
[ "$(sha "$HYCO_TEST_TMP/up2.out")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "upload from a pipe differs"

# listener -> sender: the listener reads the file, the sender's stdin is /dev/null
listen_start down -b --once <"$HYCO_TEST_TMP/in.bin"
timeout 120 hyco-send -b --no-progress </dev/null >"$HYCO_TEST_TMP/down.bin" || fail "receiving hyco-send exit $?"
wait_exit "$LISTEN_PID" 30 || fail "listener did not exit"
[ "$(sha "$HYCO_TEST_TMP/down.bin")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "download differs"
echo ok
