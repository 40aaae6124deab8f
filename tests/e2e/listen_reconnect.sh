#!/usr/bin/env bash
# The relay is killed (SIGKILL) under a listener and restarted on the same
# port: the listener reports offline, climbs the reconnect ladder, comes
# back online on its own and serves a sender again.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
key=$(head -c 32 /dev/urandom | base64)

start_relay() {  # start_relay PORT -> RELAY_PID, RELAY_CS
    local out="$HYCO_TEST_TMP/relay.$1.out"
    hyco-relay --host 127.0.0.1 --port "$1" --rule "root:$key:listen,send" >"$out" 2>>"$HYCO_TEST_TMP/relay.err" &
    RELAY_PID=$!
    hyco_cleanup_add "kill -KILL $RELAY_PID 2>/dev/null; wait $RELAY_PID 2>/dev/null"
    wait_for "$out" 'Endpoint=' 10 || fail "relay did not start: $(cat "$HYCO_TEST_TMP/relay.err")"
    RELAY_CS=$(head -n 1 "$out")
}

start_relay 0
port=$(printf '%s\n' "$RELAY_CS" | sed -E 's|^Endpoint=sb://[^/]*:([0-9]+)/.*|\1|')
export HYCO_CONNECTION_STRING="$RELAY_CS;EntityPath=phoenix"
listen_start l --exec 'cat' </dev/null
out=$(timeout 20 hyco-send -m before) || fail "first sender exit $?"
[ "$out" = before ] || fail "first echo: '$out'"

kill -KILL "$RELAY_PID"
wait "$RELAY_PID" 2>/dev/null || true
wait_for "$HYCO_TEST_TMP/l.err" 'offline' 10 || fail "no offline report: $(cat "$HYCO_TEST_TMP/l.err")"
sleep 2  # let the listener fail a few attempts against the dead port
start_relay "$port"
# The ladder is 0, 1, 2, 5 s...: back online within about 10 s.
for ((i = 0; i < 200; i++)); do
    [ "$(grep -c 'online:' "$HYCO_TEST_TMP/l.err")" -ge 2 ] && break
    sleep 0.1
done
[ "$(grep -c 'online:' "$HYCO_TEST_TMP/l.err")" -ge 2 ] || fail "not back online: $(cat "$HYCO_TEST_TMP/l.err")"
grep -q 'reconnecting in [125] s' "$HYCO_TEST_TMP/l.err" || fail "no back-off: $(cat "$HYCO_TEST_TMP/l.err")"
out=$(timeout 20 hyco-send -m after) || fail "second sender exit $?"
[ "$out" = after ] || fail "second echo: '$out'"
kill -0 "$LISTEN_PID" || fail "listener died"
echo ok
