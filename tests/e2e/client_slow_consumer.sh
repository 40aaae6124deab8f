#!/usr/bin/env bash
# A consumer that does not read for a while: hyco-listen stops reading the
# relay instead of buffering, so its memory stays bounded while 64 MiB go
# through, and the bytes still arrive intact.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs slow)
head -c 67108864 /dev/urandom >"$HYCO_TEST_TMP/in.bin"
mkfifo "$HYCO_TEST_TMP/pipe"
# The consumer starts reading only after the sender has finished writing.
(exec 3<"$HYCO_TEST_TMP/pipe"; while [ ! -e "$HYCO_TEST_TMP/go" ]; do sleep 0.1; done; cat <&3 >"$HYCO_TEST_TMP/out.bin") &
hyco_cleanup_add "hyco_stop_pid $!"
consumer=$!
hyco-listen -v -b --once </dev/null >"$HYCO_TEST_TMP/pipe" 2>"$HYCO_TEST_TMP/l2.err" &
lpid=$!
hyco_cleanup_add "hyco_stop_pid $lpid"
wait_for "$HYCO_TEST_TMP/l2.err" online 10 || fail "listener not online"
base=$(awk '/^VmHWM/ {print $2}' "/proc/$lpid/status")

timeout 60 hyco-send -b --no-progress <"$HYCO_TEST_TMP/in.bin" &
spid=$!
hyco_cleanup_add "hyco_stop_pid $spid"
sleep 3  # the transfer stalls: the consumer reads nothing yet
peak=$(awk '/^VmHWM/ {print $2}' "/proc/$lpid/status")
kill -0 "$spid" 2>/dev/null || fail "the sender finished although nobody read: nothing was held back"
touch "$HYCO_TEST_TMP/go"
wait_exit "$spid" 60 || fail "sender did not finish"
[ "$EXIT_RC" = 0 ] || fail "sender exit $EXIT_RC"
wait_exit "$lpid" 30 || fail "listener did not finish"
wait "$consumer" || true
growth=$(( (peak - base) / 1024 ))
echo "listener peak RSS grew by $growth MiB while stalled (base $((base / 1024)) MiB)"
[ "$growth" -lt 24 ] || fail "listener buffered $growth MiB"
[ "$(sha "$HYCO_TEST_TMP/out.bin")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "bytes differ"
echo ok
