#!/usr/bin/env bash
# No listener: a WebSocket sender gets 404, an HTTP sender 502 with the
# service's JSON error body; in declared-only mode unknown entities are 404.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --entity known --entity open:anonymous --declared-only
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
S="$HYCO_INTEROP_DIR/relay/http_sender.js"
field() { node -e 'const j=JSON.parse(process.argv[1]); const v=process.argv[2].split(".").reduce((o,k)=>o==null?o:o[k], j); console.log(v===undefined?"":v)' "$1" "$2"; }

out=$(timeout 20 node "$WS_TOOL" send known)
case "$out" in "status 404 EndpointNotFound: no listener is connected to 'known'"*) ;; *) fail "ws sender: $out" ;; esac
r=$(timeout 20 node "$S" GET known 0)
[ "$(field "$r" status)" = 502 ] || fail "http sender: $r"
[ "$(field "$r" body)" != "" ] && node -e 'const b=JSON.parse(JSON.parse(process.argv[1]).body); if (b.error.code!=="BadGateway") process.exit(1)' "$r" ||
    fail "502 body: $r"
# Anonymous entity: no token needed to reach the (absent) listener.
r=$(timeout 20 node "$S" GET open 0 token:none)
[ "$(field "$r" status)" = 502 ] || fail "anonymous http sender: $r"
r=$(timeout 20 node "$S" GET known 0 token:none)
[ "$(field "$r" status)" = 401 ] || fail "known entity without token: $r"

out=$(timeout 20 node "$WS_TOOL" probe listen unknown)
case "$out" in "status 404 EndpointNotFound: entity 'unknown' does not exist."*) ;; *) fail "listen unknown: $out" ;; esac
out=$(timeout 20 node "$WS_TOOL" send unknown)
case "$out" in "status 404 EndpointNotFound"*) ;; *) fail "send unknown: $out" ;; esac
r=$(timeout 20 node "$S" POST unknown/x 10)
[ "$(field "$r" status)" = 404 ] || fail "http unknown: $r"
echo ok
