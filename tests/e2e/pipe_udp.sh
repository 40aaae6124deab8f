# UDP forwarding: udp-listen -> udp directly and through the relay
# (udp-listen -> relay-connect, relay-listen -> udp), one datagram per
# WebSocket message. A DNS query gets its answer, 10,000 datagrams of
# assorted sizes come back in order with every boundary intact, each client
# address is its own flow, and an idle flow ends and a new one begins.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
PEER="python3 $HYCO_SOURCE_DIR/tests/lib/udp_peer.py"

$PEER server "$T/srv.port" --timeout 120 &
on_exit "kill $! 2>/dev/null"
for ((i = 0; i < 100; i++)); do [ -s "$T/srv.port" ] && break; sleep 0.1; done
srv=$(cat "$T/srv.port")

# Usage errors name the address.
expect_status 2 hyco-pipe udp:127.0.0.1 -
expect_err "udp:127.0.0.1"
expect_status 2 hyco-pipe udp-listen:0,idle=0 udp:127.0.0.1:$srv
expect_err "idle"
pass "malformed udp addresses are usage errors"

pipe_server direct udp-listen:0 udp:127.0.0.1:$srv
out=$(timeout 20 $PEER dns 127.0.0.1 "$PIPE_PORT" hyco.test) || fail "direct dns: $out"
pass "udp-listen -> udp: a DNS query and its answer"

relay_start
pipe_server far relay-listen:dgram udp:127.0.0.1:$srv
pipe_server near udp-listen:0 relay-connect:dgram
near=$PIPE_PORT
out=$(timeout 20 $PEER dns 127.0.0.1 "$near" hyco.test) || fail "dns through the relay: $out"
[ "$out" = "ok 127.0.0.42" ] || fail "dns said: $out"
pass "udp through the relay: a DNS query and its answer"

out=$(timeout 120 $PEER flood 127.0.0.1 "$near" --count 10000 --window 64 --timeout 110) || fail "flood: $out"
[ "$out" = "ok 10000" ] || fail "flood said: $out"
pass "10,000 datagrams through the relay, in order, each boundary intact"

# Three client addresses at once: three flows, three relay connections.
pids=()
for i in 1 2 3; do
    (timeout 60 $PEER flood 127.0.0.1 "$near" --count 300 --window 8 --timeout 50 >"$T/c$i" 2>&1) &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
for i in 1 2 3; do [ "$(cat "$T/c$i")" = "ok 300" ] || fail "client $i: $(cat "$T/c$i")"; done
flows=$(grep -c "accepted from 127.0.0.1:" "$T/near.err")
[ "$flows" -ge 5 ] || fail "expected a flow per client address, the log shows $flows: $(cat "$T/near.err")"
pass "each client address is its own flow"

# Idle expiry: a flow ends after its idle time; the next datagram opens a new one.
pipe_server idle udp-listen:0,idle=1s relay-connect:dgram
out=$(timeout 20 $PEER dns 127.0.0.1 "$PIPE_PORT" one.test) || fail "first query: $out"
for ((i = 0; i < 100; i++)); do grep -q "#1 closed" "$T/idle.err" && break; sleep 0.1; done
grep -q "#1 closed" "$T/idle.err" || fail "the idle flow did not end: $(cat "$T/idle.err")"
grep "#1 closed" "$T/idle.err" | grep -qv "bytes back$" && fail "the idle flow ended with an error: $(cat "$T/idle.err")"
out=$(timeout 20 $PEER dns 127.0.0.1 "$PIPE_PORT" two.test) || fail "second query: $out"
grep -q "#2 accepted" "$T/idle.err" || fail "no new flow after expiry: $(cat "$T/idle.err")"
pass "an idle flow ends cleanly and the next datagram starts another"
