#!/usr/bin/env bash
# Dead-peer detection: when the relay stops answering (SIGSTOP), a sender
# with --ping-interval/--ping-timeout gives up with a one-line reason and a
# non-zero status, and the listener's control channel (keep-alive pings)
# goes offline and reconnects once the relay is back.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs ping)

listen_start l --keepalive 1s --ping-timeout 1s --json --exec cat </dev/null
mkfifo "$HYCO_TEST_TMP/in"
exec 5<>"$HYCO_TEST_TMP/in"  # an input that never ends
timeout 30 hyco-send --ping-interval 1s --ping-timeout 1s -v <&5 2>"$HYCO_TEST_TMP/s.err" &
spid=$!
hyco_cleanup_add "kill -CONT $HYCO_RELAY_PID 2>/dev/null; hyco_stop_pid $spid"
wait_for "$HYCO_TEST_TMP/s.err" connected 10 || fail "sender did not connect"
kill -STOP "$HYCO_RELAY_PID"
wait_exit "$spid" 15 || { kill -CONT "$HYCO_RELAY_PID"; fail "sender did not notice the dead peer"; }
[ "$EXIT_RC" != 0 ] || { kill -CONT "$HYCO_RELAY_PID"; fail "sender exit 0 after a ping timeout"; }
grep -q '^hyco-send: error: .*ping timeout' "$HYCO_TEST_TMP/s.err" || { kill -CONT "$HYCO_RELAY_PID"; fail "stderr: $(cat "$HYCO_TEST_TMP/s.err")"; }
wait_for "$HYCO_TEST_TMP/l.err" '"event":"offline"' 10 || { kill -CONT "$HYCO_RELAY_PID"; fail "listener stayed online: $(cat "$HYCO_TEST_TMP/l.err")"; }
kill -CONT "$HYCO_RELAY_PID"
for ((i = 0; i < 200; i++)); do
    [ "$(grep -c '"event":"online"' "$HYCO_TEST_TMP/l.err")" -ge 2 ] && break
    sleep 0.1
done
[ "$(grep -c '"event":"online"' "$HYCO_TEST_TMP/l.err")" -ge 2 ] || fail "listener not back: $(cat "$HYCO_TEST_TMP/l.err")"
out=$(timeout 20 hyco-send -m back) || fail "sender after recovery: exit $?"
[ "$out" = back ] || fail "echo '$out'"
echo ok
