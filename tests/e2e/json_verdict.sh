#!/usr/bin/env bash
# The verdict in machine-readable form (issue 8, items 1 and 6): --json on
# hyco-listen and hyco-pipe reports each connection's byte counts, duration,
# close code and whether the stream arrived whole: complete for a whole
# stream, incomplete with the reason for a sender killed mid-upload and for
# a listener killed mid-stream. An end record whose byte count does not
# match what arrived is a failure too (exit 1, named), never a success.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start --verbose  # its log says when a hyco-pipe listener is online
BASE_CS=$HYCO_CONNECTION_STRING
head -c 1000000 /dev/urandom >"$T/in"

# closed FILE EXPR: the one "closed" event in FILE satisfies the Python
# expression EXPR over it (as e).
closed() {
    python3 - "$1" "$2" <<'PY' || fail "$1: $(cat "$1")"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
closed = [e for e in events if e["event"] == "closed"]
assert len(closed) == 1, closed
e = closed[0]
assert isinstance(e["duration_ms"], int) and e["duration_ms"] >= 0, e
assert eval(sys.argv[2]), (sys.argv[2], e)
PY
}

# hyco-listen: a whole stream.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=whole"
listen_start whole --json -b --once </dev/null
expect_status 0 timeout 30 hyco-send -b --no-progress <"$T/in"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit"
[ "$EXIT_RC" = 0 ] || fail "listener exit $EXIT_RC: $(cat "$T/whole.err")"
closed "$T/whole.err" 'e["complete"] is True and e["received"] == 1000000 and e["sent"] == 0 and e["end_records"] is True and e["close_code"] == 1000'
pass "hyco-listen --json: complete, 1000000 bytes, close 1000"

# hyco-listen: the sender killed -9 after part of its input.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=cut"
listen_start cut --json -b --once </dev/null
mkfifo "$T/fifo"
exec 5<>"$T/fifo"
hyco-send -b --no-progress <"$T/fifo" >/dev/null 2>"$T/cut-send.err" &
spid=$!
hyco_cleanup_add "kill -KILL $spid 2>/dev/null; wait $spid 2>/dev/null"
head -c 100000 "$T/in" >&5
wait_for "$T/cut.err" accepted 10 || fail "not accepted: $(cat "$T/cut.err")"
for _ in $(seq 100); do [ "$(stat -c %s "$T/cut.out")" -ge 100000 ] && break; sleep 0.1; done
[ "$(stat -c %s "$T/cut.out")" = 100000 ] || fail "the first 100000 bytes did not arrive: $(stat -c %s "$T/cut.out")"
kill -KILL "$spid"
wait "$spid" 2>/dev/null || true
exec 5>&-
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit"
[ "$EXIT_RC" = 1 ] || fail "listener exit $EXIT_RC after its sender was killed: $(cat "$T/cut.err")"
closed "$T/cut.err" 'e["complete"] is False and e["received"] == 100000 and "without its end record" in e["reason"] and isinstance(e["close_code"], int)'
pass "hyco-listen --json: a killed sender is incomplete, with the reason"

# hyco-pipe: a whole stream, both sides.
export HYCO_CONNECTION_STRING=$BASE_CS
hyco-pipe --json -1 relay-listen:pwhole "exec:cat >'$T/pwhole.got'" </dev/null >/dev/null 2>"$T/pl.err" &
lpid=$!
hyco_cleanup_add "hyco_stop_pid $lpid"
wait_for "$HYCO_RELAY_LOG" "listener pwhole #[0-9]* ([^)]*): online" 10 || fail "relay-listen:pwhole not online: $(cat "$T/pl.err")"
hyco-pipe --json - relay-connect:pwhole <"$T/in" >/dev/null 2>"$T/ps.err" || fail "hyco-pipe relay-connect: exit $?: $(cat "$T/ps.err")"
wait_exit "$lpid" 20 || fail "hyco-pipe -1 relay-listen did not exit"
[ "$EXIT_RC" = 0 ] || fail "hyco-pipe relay-listen exit $EXIT_RC: $(cat "$T/pl.err")"
[ "$(sha "$T/pwhole.got")" = "$(sha "$T/in")" ] || fail "the command got different bytes"
closed "$T/ps.err" 'e["complete"] is True and e["bytes_forward"] == 1000000 and e["bytes_back"] == 0 and e["close_code"] == 1000'
closed "$T/pl.err" 'e["complete"] is True and e["bytes_forward"] == 1000000 and e["close_code"] == 1000'
pass "hyco-pipe --json: complete on both sides, close 1000"

# hyco-pipe: the listener killed -9 while the sender's input is still open.
hyco-pipe -1 relay-listen:pcut "exec:cat >'$T/pcut.got'" </dev/null >/dev/null 2>"$T/pl2.err" &
lpid=$!
hyco_cleanup_add "kill -KILL $lpid 2>/dev/null; wait $lpid 2>/dev/null"
wait_for "$HYCO_RELAY_LOG" "listener pcut #[0-9]* ([^)]*): online" 10 || fail "relay-listen:pcut not online: $(cat "$T/pl2.err")"
exec 5<>"$T/fifo"
hyco-pipe --json - relay-connect:pcut <"$T/fifo" >/dev/null 2>"$T/ps2.err" &
spid=$!
hyco_cleanup_add "hyco_stop_pid $spid"
head -c 100000 "$T/in" >&5
for _ in $(seq 100); do [ "$(stat -c %s "$T/pcut.got" 2>/dev/null || echo 0)" -ge 100000 ] && break; sleep 0.1; done
[ "$(stat -c %s "$T/pcut.got")" = 100000 ] || fail "the first 100000 bytes did not arrive: $(cat "$T/ps2.err" "$T/pl2.err")"
kill -KILL "$lpid"
wait "$lpid" 2>/dev/null || true
wait_exit "$spid" 20 || fail "hyco-pipe relay-connect did not end after its listener was killed"
exec 5>&-
[ "$EXIT_RC" = 1 ] || fail "hyco-pipe relay-connect exit $EXIT_RC after its listener was killed: $(cat "$T/ps2.err")"
closed "$T/ps2.err" 'e["complete"] is False and e["exit"] == 1 and "without its end record" in e["error"] and e["close_code"] == 1001'
pass "hyco-pipe --json: a killed listener is incomplete, close 1001, with the reason"

# An end record that claims 99 bytes when none arrived (a raw peer that
# negotiates end records): exit 1 with the mismatch named, and incomplete.
export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=mismatch"
tok=$(hyco-token create -x "$HYCO_CONNECTION_STRING")
listen_start mismatch --json -b --once </dev/null
out=$(timeout 30 python3 "$HYCO_SOURCE_DIR/tests/lib/ws_peer.py" 127.0.0.1 "$HYCO_RELAY_PORT" mismatch "$tok" \
    --protocol hyco.plain --protocol hyco.end.v1 '{"hyco":"end","bytes":99}') || fail "ws_peer exit $?: $out"
grep -qx 'open hyco.end.v1' <<<"$out" || fail "end records were not negotiated: $out"
wait_exit "$LISTEN_PID" 20 || fail "the listener did not exit"
[ "$EXIT_RC" = 1 ] || fail "listener exit $EXIT_RC after a mismatching end record: $(cat "$T/mismatch.err")"
closed "$T/mismatch.err" 'e["complete"] is False and "the peer sent 99 bytes but 0 arrived" in e["reason"]'
pass "a mismatching end record: exit 1, named"
