#!/usr/bin/env bash
# hyco-pipe with Microsoft's and plain Node peers through hyco-relay: a
# hyco-pipe listener (relay-listen -> mirror:) serves a plain `ws` sender,
# and relay-connect talks to a hyco-ws RelayedServer echo listener.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
I=$HYCO_SOURCE_DIR/tests/interop

pipe_server mirror relay-listen:mirror mirror:
out=$(timeout 90 node "$I/pipe_ws_sender.js" mirror 3000000) || fail "ws sender: $out"
[ "$out" = "ok 3000000" ] || fail "ws sender said: $out"
pass "a plain ws sender through a hyco-pipe listener: 3 MB intact"

node "$I/relay/ws_echo_listener.js" echo >"$T/node.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
timeout 10 bash -c "until grep -q listening '$T/node.out'; do sleep 0.1; done" || fail "hyco-ws listener: $(cat "$T/node.out")"
head -c 3000000 /dev/urandom >"$T/in"
timeout 60 hyco-pipe - relay-connect:echo <"$T/in" >"$T/got" || fail "relay-connect to hyco-ws exited $?"
[ "$(sha "$T/got")" = "$(sha "$T/in")" ] || fail "hyco-ws echo changed the bytes"
pass "relay-connect to a hyco-ws listener: 3 MB intact"
