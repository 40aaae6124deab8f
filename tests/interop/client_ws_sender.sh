#!/usr/bin/env bash
# hyco-listen serves a plain Node `ws` sender: its subprotocol is accepted,
# its path suffix and query reach the child's environment, text and binary
# messages come back through an --exec child, and the Close is clean.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
require_node_modules
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs nodesend)

listen_start l -b --subprotocol chat.v1 \
    --exec 'printf "%s %s %s|" "$HYCO_PATH" "$HYCO_QUERY" "$HYCO_SUBPROTOCOL"; cat' </dev/null
out=$(timeout 20 node "$HYCO_INTEROP_DIR/client_ws_sender.js" nodesend hello) || fail "ws sender: $out"
grep -q '^open chat.v1$' <<<"$out" || fail "subprotocol not chosen: $out"
# -b: the child's bytes go out as binary messages, as they are read.
got=$(grep '^binary ' <<<"$out" | cut -d' ' -f2 | tr -d '\n')
want=$( (printf 'sub x=1 chat.v1|hello'; printf '\000\001\002\377') | od -An -tx1 | tr -d ' \n')
[ "$got" = "$want" ] || fail "echoed bytes: $got, expected $want ($out)"
grep -q '^closed 1000$' <<<"$out" || fail "close: $out"
echo ok
