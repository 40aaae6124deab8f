#!/usr/bin/env bash
# hyco-https listener + node http sender through hyco-relay: GET, POST, PUT,
# DELETE, HEAD with bodies of 0 B, 1 KiB, 64 KiB +/- 1 and 10 MiB; status,
# reason and headers pass through, Via is added, relay auth is stripped.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
R="$HYCO_INTEROP_DIR/relay"
node "$R/http_listener.js" web >"$HYCO_TEST_TMP/listener.out" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 10 bash -c "until grep -q listening '$HYCO_TEST_TMP/listener.out'; do sleep 0.1; done" ||
    fail "listener did not come online"

send() { timeout 120 node "$R/http_sender.js" "$@"; }
field() { node -e 'const j=JSON.parse(process.argv[1]); const v=process.argv[2].split(".").reduce((o,k)=>o==null?o:o[k], j); console.log(v===undefined?"":v)' "$1" "$2"; }

for method in POST PUT; do
    for size in 0 1024 65535 65536 65537 10485760; do
        r=$(send "$method" web/sub/dir?a=1 "$size" x-custom:v1) || fail "$method $size: $r"
        [ "$(field "$r" status)" = 200 ] || fail "$method $size: status $(field "$r" status)"
        [ "$(field "$r" bodyOk)" = true ] || fail "$method $size: body altered ($(field "$r" bodyLength) bytes)"
        [ "$(field "$r" headers.x-body-length)" = "$size" ] || fail "$method $size: listener saw $(field "$r" headers.x-body-length)"
        [ "$(field "$r" headers.x-method)" = "$method" ] || fail "$method: listener saw $(field "$r" headers.x-method)"
        [ "$(field "$r" headers.x-url)" = "/web/sub/dir?a=1" ] || fail "$method: url $(field "$r" headers.x-url)"
        [ "$(field "$r" headers.x-custom)" = v1 ] || fail "custom header lost"
        [ "$(field "$r" headers.x-auth-seen)" = no ] || fail "ServiceBusAuthorization reached the listener"
        [ "$(field "$r" headers.x-via)" = "1.1 127.0.0.1" ] || fail "request Via: $(field "$r" headers.x-via)"
        [ "$(field "$r" headers.via)" = "1.1 127.0.0.1" ] || fail "response Via: $(field "$r" headers.via)"
        echo "ok: $method $size"
    done
done
for method in GET DELETE; do
    r=$(send "$method" web 0 token:query) || fail "$method: $r"
    [ "$(field "$r" status)" = 200 ] || fail "$method: status $(field "$r" status)"
    [ "$(field "$r" headers.x-method)" = "$method" ] || fail "$method: listener saw $(field "$r" headers.x-method)"
    [ "$(field "$r" headers.x-url)" = "/web" ] || fail "sb-hc-token not removed from the target: $(field "$r" headers.x-url)"
    echo "ok: $method"
done
r=$(send HEAD web 0) || fail "HEAD: $r"
[ "$(field "$r" status)" = 200 ] && [ "$(field "$r" bodyLength)" = 0 ] || fail "HEAD: $r"
r=$(send GET web 0 x-status:418 "x-reason:I am a teapot") || fail "418: $r"
[ "$(field "$r" status)" = 418 ] && [ "$(field "$r" reason)" = "I am a teapot" ] || fail "status/reason: $r"
r=$(send POST web 10 x-status:503) || fail "503: $r"
[ "$(field "$r" status)" = 503 ] && [ "$(field "$r" bodyOk)" = true ] || fail "503 with body: $r"
echo "ok"
