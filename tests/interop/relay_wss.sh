#!/usr/bin/env bash
# hyco-relay --tls (generated self-signed certificate): hyco-ws and hyco-https
# listeners, ws and https senders, all over TLS. The banner has no
# UseDevelopmentEmulator flag.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --tls
case "$HYCO_CONNECTION_STRING" in *UseDevelopmentEmulator*) fail "TLS banner: $HYCO_CONNECTION_STRING" ;; esac
export NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1  # the certificate is self-signed
R="$HYCO_INTEROP_DIR/relay"
node "$R/ws_echo_listener.js" secure >"$HYCO_TEST_TMP/l1" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
node "$R/http_listener.js" secureweb >"$HYCO_TEST_TMP/l2" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
for f in l1 l2; do
    timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/$f'; do sleep 0.1; done" ||
        fail "listener $f offline: $(cat "$HYCO_TEST_TMP/$f")"
done
out=$(timeout 60 node "$R/ws_echo_sender.js" secure header 1 65536 1048576) || fail "wss sender: $out"
[ "$(grep -c '^echo ok' <<<"$out")" = 6 ] || fail "wss echoes: $out"
r=$(timeout 60 node "$R/http_sender.js" POST secureweb 200000) || fail "https sender: $r"
node -e 'const j=JSON.parse(process.argv[1]); if (j.status!==200||!j.bodyOk) process.exit(1)' "$r" || fail "https: $r"
echo ok
