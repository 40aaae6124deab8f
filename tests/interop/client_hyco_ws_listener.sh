#!/usr/bin/env bash
# hyco-send talks to Microsoft's hyco-ws RelayedServer listener through
# hyco-relay: text lines get their answers, a 4 MiB binary stream comes
# back byte-exact, and the exit status is 0 after the exchange.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
require_node_modules
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs nodews)

node "$HYCO_INTEROP_DIR/client_hyco_ws_listener.js" nodews >"$HYCO_TEST_TMP/node.out" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/node.out" listening 10 || fail "hyco-ws listener: $(cat "$HYCO_TEST_TMP/node.out")"

out=$(timeout 20 hyco-send -m hello) || fail "hyco-send -m exit $?"
[ "$out" = "echo: hello" ] || fail "reply '$out'"
out=$(printf 'a\nb\n' | timeout 20 hyco-send --max-messages 2) || fail "piped hyco-send exit $?"
[ "$out" = $'echo: a\necho: b' ] || fail "replies '$out'"

head -c 4194304 /dev/urandom >"$HYCO_TEST_TMP/in.bin"
timeout 60 hyco-send -b --no-progress --linger 5s --max-messages 64 <"$HYCO_TEST_TMP/in.bin" >"$HYCO_TEST_TMP/out.bin" ||
    fail "binary hyco-send exit $?"
[ "$(sha "$HYCO_TEST_TMP/out.bin")" = "$(sha "$HYCO_TEST_TMP/in.bin")" ] || fail "binary echo differs ($(wc -c <"$HYCO_TEST_TMP/out.bin") bytes)"
echo ok
