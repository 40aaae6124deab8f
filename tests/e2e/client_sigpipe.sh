#!/usr/bin/env bash
# A reader that goes away (head) ends hyco-listen quietly: EPIPE on stdout
# is a normal end, exit 0, no error line. The sender is closed cleanly but
# learns that its data was not all taken: exit 1 with the count.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs epipe)
head -c 16777216 /dev/urandom >"$HYCO_TEST_TMP/in.bin"
(hyco-listen -v -b --once </dev/null 2>"$HYCO_TEST_TMP/l.err" | head -c 1000 >"$HYCO_TEST_TMP/head.out"
 echo "${PIPESTATUS[0]}" >"$HYCO_TEST_TMP/l.rc") &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/l.err" online 10 || fail "listener not online"
rc=0
timeout 30 hyco-send -b --no-progress <"$HYCO_TEST_TMP/in.bin" 2>"$HYCO_TEST_TMP/s.err" || rc=$?
wait_for "$HYCO_TEST_TMP/l.rc" '[0-9]' 20 || fail "listener did not end"
[ "$(cat "$HYCO_TEST_TMP/l.rc")" = 0 ] || fail "listener exit $(cat "$HYCO_TEST_TMP/l.rc"): $(cat "$HYCO_TEST_TMP/l.err")"
grep -q 'error' "$HYCO_TEST_TMP/l.err" && fail "listener complained: $(cat "$HYCO_TEST_TMP/l.err")"
[ "$(wc -c <"$HYCO_TEST_TMP/head.out")" = 1000 ] || fail "head got $(wc -c <"$HYCO_TEST_TMP/head.out")"
[ "$rc" = 1 ] || fail "sender exit $rc: $(cat "$HYCO_TEST_TMP/s.err")"
grep -q '^hyco-send: error: .*the peer stopped reading after .* of our ' "$HYCO_TEST_TMP/s.err" ||
    fail "sender stderr: $(cat "$HYCO_TEST_TMP/s.err")"
echo ok
