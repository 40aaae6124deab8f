#!/usr/bin/env bash
# Senders pin listeners with Microsoft-Relay-AllowedListeners and
# Microsoft-Relay-DisallowedListeners (listener sb-hc-ids); a filter that
# matches nobody is 404 with the service's description.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
for id in aaaa1111 bbbb2222; do
    node "$WS_TOOL" listen pin id=$id >"$HYCO_TEST_TMP/$id" &
    hyco_cleanup_add "hyco_stop_pid $!"
    timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/$id'; do sleep 0.1; done" || fail "$id offline"
done
for i in 1 2 3 4 5; do
    out=$(timeout 20 node "$WS_TOOL" send pin allow=bbbb2222 msg=a$i)
    [[ "$out" == *"echo a$i"* ]] || fail "allowed: $out"
    out=$(timeout 20 node "$WS_TOOL" send pin deny=BBBB2222 msg=d$i)
    [[ "$out" == *"echo d$i"* ]] || fail "disallowed: $out"
done
[ "$(grep -c '^accept with-key' "$HYCO_TEST_TMP/bbbb2222")" = 5 ] || fail "allowed listener got $(grep -c '^accept with-key' "$HYCO_TEST_TMP/bbbb2222")"
[ "$(grep -c '^accept with-key' "$HYCO_TEST_TMP/aaaa1111")" = 5 ] || fail "other listener got $(grep -c '^accept with-key' "$HYCO_TEST_TMP/aaaa1111")"
out=$(timeout 20 node "$WS_TOOL" send pin allow=cccc3333)
case "$out" in "status 404 EndpointNotFound: None of the connected listeners meet the AllowedListeners/DisallowedListeners criteria."*) ;;
*) fail "no match: $out" ;; esac
echo ok
