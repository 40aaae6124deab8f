#!/usr/bin/env bash
# hyco-pipe's relay-listen: and relay-connect: through an HTTP proxy
# (tinyproxy): a TCP forward whose control channel, sender and rendezvous
# all tunnel through it, as its log shows; the bytes arrive intact.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/proxy.sh"
require_tinyproxy
relay_start
proxy_start proxy "ConnectPort $HYCO_RELAY_PORT"
P=http://127.0.0.1:$PROXY_PORT
export HYCO_CONNECTION_STRING="$HYCO_CONNECTION_STRING;EntityPath=piped"

# The serving end: relay-listen: to a local echo, through the proxy.
pipe_server srv --proxy "$P" relay-listen: exec:cat
grep -q "via proxy 127.0.0.1:$PROXY_PORT" "$T/srv.err" || fail "-v does not name the proxy: $(cat "$T/srv.err")"
[ "$(proxy_connects "127.0.0.1:$HYCO_RELAY_PORT")" = 1 ] || fail "the control channel did not tunnel: $(cat "$PROXY_LOG")"
# relay-listen: says nothing when it comes online: wait until a direct
# sender gets its echo (bounded).
for ((i = 0; i < 50; i++)); do
    out=$(echo ready | timeout 10 hyco-pipe --proxy '' - relay-connect: 2>/dev/null) && [ "$out" = ready ] && break
    sleep 0.2
done
[ "$out" = ready ] || fail "relay-listen: did not come online: $(cat "$T/srv.err")"
head -c 200000 /dev/urandom >"$T/data"
before=$(proxy_connects "127.0.0.1:$HYCO_RELAY_PORT")
timeout 30 env HTTPS_PROXY= ALL_PROXY="$P" hyco-pipe -v - relay-connect: <"$T/data" >"$T/back" 2>"$T/cli.err" ||
    fail "relay-connect through the proxy: exit $?: $(cat "$T/cli.err")"
cmp -s "$T/data" "$T/back" || fail "bytes differ: $(wc -c <"$T/back") of 200000 came back"
grep -q "via proxy 127.0.0.1:$PROXY_PORT" "$T/cli.err" || fail "relay-connect -v: $(cat "$T/cli.err")"
[ $(($(proxy_connects "127.0.0.1:$HYCO_RELAY_PORT") - before)) = 2 ] ||
    fail "expected 2 CONNECTs (relay-connect, rendezvous): $(tail -n 20 "$PROXY_LOG")"
pass "relay-listen: and relay-connect: through the proxy"

before=$(proxy_connects)
expect_status 1 timeout 20 hyco-pipe --proxy "http://127.0.0.1:$(free_port)" - relay-connect: </dev/null
expect_err "proxy 127.0.0.1:"
[ "$(proxy_connects)" = "$before" ] || fail "a dead proxy's attempt reached the live one"
echo ok
