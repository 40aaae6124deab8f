#!/usr/bin/env bash
# The README's backup example with the sender killed mid-upload (issue 8):
# `hyco-listen -b --once </dev/null > backup` must not exit 0 with part of
# the file. The relay ends the listener's side with a normal-looking Close,
# so only the missing end record can tell: exit 1, one error line saying so.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs backup)
head -c $((32 << 20)) /dev/urandom >"$T/backup.tar"

listen_start backup -b --once </dev/null
mkfifo "$T/in"
# 16 MiB/s: two seconds of upload, so the kill below lands in the middle.
python3 "$HYCO_SOURCE_DIR/tests/lib/throttle.py" "$T/backup.tar" $((16 << 20)) >"$T/in" &
tp=$!
hyco_cleanup_add "kill $tp 2>/dev/null; wait $tp 2>/dev/null"
hyco-send -b --no-progress <"$T/in" >/dev/null 2>"$T/s.err" &
spid=$!
hyco_cleanup_add "kill -KILL $spid 2>/dev/null; wait $spid 2>/dev/null"
for _ in $(seq 400); do
    [ "$(stat -c %s "$T/backup.out")" -ge $((1 << 20)) ] && break
    sleep 0.05
done
got=$(stat -c %s "$T/backup.out")
[ "$got" -ge $((1 << 20)) ] || fail "no upload under way: $got bytes; sender: $(cat "$T/s.err")"
[ "$got" -lt $((32 << 20)) ] || fail "the upload was over before the kill"
kill -KILL "$spid"
wait "$spid" 2>/dev/null || true  # reaped here: no "Killed" notice from bash

wait_exit "$LISTEN_PID" 20 || fail "the listener did not end after its sender was killed"
[ "$EXIT_RC" = 1 ] || fail "listener exit $EXIT_RC with $(stat -c %s "$T/backup.out") of $((32 << 20)) bytes: $(cat "$T/backup.err")"
grep -q '^hyco-listen: error: connection: .*the stream ended after .* without its end record' "$T/backup.err" ||
    fail "listener stderr: $(cat "$T/backup.err")"
[ "$(grep -c 'error:' "$T/backup.err")" = 1 ] || fail "more than one error line: $(cat "$T/backup.err")"
[ "$(stat -c %s "$T/backup.out")" -lt $((32 << 20)) ] || fail "the whole backup arrived although the sender was killed"
pass "sender killed mid-upload: the backup listener exits 1 ($(grep error: "$T/backup.err"))"
