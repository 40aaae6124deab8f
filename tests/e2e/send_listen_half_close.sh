#!/usr/bin/env bash
# Half-close between hyco-send and hyco-listen --exec: the sender's end of
# input (its Close) reaches the command as EOF, and the command's answer,
# written only after that, still arrives at the sender; in text and binary
# mode, large and small. Failed while the WebSocket client (lws's ws role)
# hung up on the peer's Close.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
base=$HYCO_CONNECTION_STRING
# One entity per listener: the relay spreads senders over an entity's listeners.
export HYCO_CONNECTION_STRING=$(entity_cs hc1)

listen_start bin -b --exec 'cat >/dev/null; printf reply' </dev/null
out=$(printf 'request' | timeout 20 hyco-send -b) || fail "hyco-send -b exit $?"
[ "$out" = "reply" ] || fail "binary reply after half-close: '$out'"

export HYCO_CONNECTION_STRING="$base;EntityPath=hc2"
listen_start txt --exec 'n=$(wc -l); echo "lines: $n"; echo bye' </dev/null
out=$(printf 'a\nb\nc\n' | timeout 20 hyco-send) || fail "hyco-send exit $?"
[ "$out" = $'lines: 3\nbye' ] || fail "text reply after half-close: '$out'"

# Larger than every buffer on the way, both ways, byte-exact.
head -c 5000000 /dev/urandom >"$HYCO_TEST_TMP/in.bin"
export HYCO_CONNECTION_STRING="$base;EntityPath=hc3"
listen_start big -b --exec "sha256sum | cut -c1-64; cat '$HYCO_TEST_TMP/in.bin'" </dev/null
timeout 60 hyco-send -b --no-progress <"$HYCO_TEST_TMP/in.bin" >"$HYCO_TEST_TMP/got" || fail "hyco-send (5 MB) exit $?"
{ sha "$HYCO_TEST_TMP/in.bin"; cat "$HYCO_TEST_TMP/in.bin"; } >"$HYCO_TEST_TMP/want"
cmp -s "$HYCO_TEST_TMP/want" "$HYCO_TEST_TMP/got" || fail "5 MB reply after half-close: $(wc -c <"$HYCO_TEST_TMP/got") bytes"
kill -0 "$LISTEN_PID" || fail "the listener died"
echo ok
