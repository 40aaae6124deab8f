#!/usr/bin/env bash
# --progress shows bytes, rate and, for a file of known size, total and ETA
# on stderr; stdout carries data only; --no-progress (and a stderr that is
# not a terminal) shows nothing.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs progress)
head -c 33554432 /dev/urandom >"$HYCO_TEST_TMP/in.bin"

listen_start l -b --once </dev/null
timeout 60 hyco-send -b --progress <"$HYCO_TEST_TMP/in.bin" >"$HYCO_TEST_TMP/s.out" 2>"$HYCO_TEST_TMP/s.err" ||
    fail "hyco-send exit $?"
wait_exit "$LISTEN_PID" 20 || fail "listener did not exit"
grep -q 'MiB / 32.0 MiB (100%) .*/s .*ETA' "$HYCO_TEST_TMP/s.err" || fail "progress: $(tr '\r' '\n' <"$HYCO_TEST_TMP/s.err" | tail -3)"
[ ! -s "$HYCO_TEST_TMP/s.out" ] || fail "progress or data leaked to stdout"
[ "$(sha "$HYCO_TEST_TMP/l.out")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "bytes differ"

listen_start l2 -b --once </dev/null
timeout 60 hyco-send -b <"$HYCO_TEST_TMP/in.bin" 2>"$HYCO_TEST_TMP/s2.err" || fail "hyco-send exit $?"
[ ! -s "$HYCO_TEST_TMP/s2.err" ] || fail "progress without a terminal: $(cat "$HYCO_TEST_TMP/s2.err")"
echo ok
