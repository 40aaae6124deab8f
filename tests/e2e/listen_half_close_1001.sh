#!/usr/bin/env bash
# Half-close through a peer that closes with 1001 (issue 8): Microsoft's
# protocol guide says the service closes the listener's socket with 1001
# "going away" when the sender shuts down, so for hyco-listen 1001 means
# "the peer sends no more", like 1000: the command gets EOF and its answer,
# written only after EOF, still goes out to the sender. A raw WebSocket
# sender (tests/lib/ws_peer.py, no subprotocol, so plain mode) sends two
# lines, then Close 1001, and keeps reading.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs half)
tok=$(hyco-token create -x "$HYCO_CONNECTION_STRING")

for code in 1001 1000; do
    listen_start "l$code" --once -e 'cat; echo done' </dev/null
    out=$(timeout 30 python3 "$HYCO_SOURCE_DIR/tests/lib/ws_peer.py" 127.0.0.1 "$HYCO_RELAY_PORT" half "$tok" \
        --close "$code" hello world) || fail "ws_peer exit $?: $out"
    want=$'open -\ntext hello\ntext world\ntext done\nclose 1000'
    [ "$(sed -E 's/^(close [0-9]+).*/\1/' <<<"$out")" = "$want" ] ||
        fail "after Close $code the sender got: $out (listener: $(cat "$T/l$code.err"))"
    wait_exit "$LISTEN_PID" 10 || fail "the listener did not exit after --once"
    [ "$EXIT_RC" = 0 ] || fail "listener exit $EXIT_RC after the sender's Close $code: $(cat "$T/l$code.err")"
    grep -q 'error' "$T/l$code.err" && fail "the listener logged an error: $(cat "$T/l$code.err")"
    pass "Close $code from the sender: the command's answer after EOF still arrives, listener exit 0"
done
