#!/usr/bin/env bash
# An HTTP request whose listener does not answer in time gets 504 with the
# service's JSON error body; the relay keeps serving afterwards.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --http-timeout 1s
R="$HYCO_INTEROP_DIR/relay"
node "$R/http_listener.js" slow >"$HYCO_TEST_TMP/l" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/l'; do sleep 0.1; done" || fail "listener offline"
field() { node -e 'const j=JSON.parse(process.argv[1]); const v=process.argv[2].split(".").reduce((o,k)=>o==null?o:o[k], j); console.log(v===undefined?"":v)' "$1" "$2"; }
r=$(timeout 20 node "$R/http_sender.js" GET slow 0 x-delay-ms:3000)
[ "$(field "$r" status)" = 504 ] || fail "slow: $r"
node -e 'const b=JSON.parse(JSON.parse(process.argv[1]).body); if (b.error.code!=="GatewayTimeout") process.exit(1)' "$r" ||
    fail "504 body: $r"
sleep 2.5  # the late response arrives and must be ignored
r=$(timeout 20 node "$R/http_sender.js" POST slow 100)
[ "$(field "$r" status)" = 200 ] && [ "$(field "$r" bodyOk)" = true ] || fail "after timeout: $r"
echo ok
