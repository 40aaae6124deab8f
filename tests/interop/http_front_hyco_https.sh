#!/usr/bin/env bash
# relay-http in front of Microsoft's hyco-https listener: curl speaks plain
# HTTP to hyco-pipe tcp-listen relay-http:web, which adds the token and
# goes through hyco-relay to tests/interop/relay/http_listener.js (a
# hyco-https relayed server that echoes bodies and reports what it saw).
# GET, POST and PUT of 0 B, 1 KiB and 10 MiB arrive intact, the listener
# sees the path under the entity and no token, status and reason pass back,
# and two requests share one curl connection.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
require_node_modules
relay_start
R="$HYCO_INTEROP_DIR/relay"
node "$R/http_listener.js" web >"$T/listener.out" 2>&1 &
hyco_cleanup_add "hyco_stop_pid $!"
timeout 10 bash -c "until grep -q listening '$T/listener.out'; do sleep 0.1; done" ||
    fail "listener did not come online: $(cat "$T/listener.out")"
pipe_server front tcp-listen:127.0.0.1:0 relay-http:web
BASE=http://127.0.0.1:$PIPE_PORT
rq() {
    local path=$1
    shift
    curl -sS --max-time 120 -D "$T/head" -o "$T/body" "$@" "$BASE/$path"
}
hdr() { sed -nE "s/^$1: (.*)\r$/\1/Ip" "$T/head" | tail -n 1; }
status_is() { grep '^HTTP/' "$T/head" | tail -n 1 | grep -q "^HTTP/1.1 $1" || fail "expected '$1': $(cat "$T/head")"; }

for size in 0 1024 10485760; do
    head -c "$size" /dev/urandom >"$T/up"
    for method in POST PUT; do
        rq 'sub/dir?a=1' -X "$method" --data-binary "@$T/up" -H 'x-custom: v1' || fail "$method $size: curl exit $?"
        status_is 200
        [ "$(sha "$T/body")" = "$(sha "$T/up")" ] || fail "$method $size: echo changed"
        [ "$(hdr x-body-length)" = "$size" ] || fail "$method $size: listener saw $(hdr x-body-length)"
        [ "$(hdr x-method)" = "$method" ] || fail "$method: listener saw $(hdr x-method)"
        [ "$(hdr x-url)" = "/web/sub/dir?a=1" ] || fail "$method: url $(hdr x-url)"
        [ "$(hdr x-custom)" = v1 ] || fail "x-custom lost"
        [ "$(hdr x-auth-seen)" = no ] || fail "the token reached the listener"
    done
    rq 'sub' || fail "GET: curl exit $?"
    status_is 200
    [ "$(hdr x-method)" = GET ] || fail "GET: listener saw $(hdr x-method)"
    echo "ok: POST, PUT and GET with $size bytes"
done
pass "GET, POST and PUT of 0 B to 10 MiB through hyco-https"

rq x -H 'x-status: 418' -H 'x-reason: I am a teapot' || fail "curl exit $?"
status_is "418 I am a teapot"
pass "status and reason pass back"

curl -sS -v --max-time 60 -o /dev/null "$BASE/a" -o /dev/null "$BASE/b" 2>"$T/ka.err" || fail "keep-alive: $(tail -n 5 "$T/ka.err")"
[ "$(grep -c '^\* Connected to' "$T/ka.err")" = 1 ] || fail "curl connected more than once: $(grep -i connect "$T/ka.err")"
[ "$(grep -c '^< HTTP/1.1 200' "$T/ka.err")" = 2 ] || fail "two answers expected: $(grep '^<' "$T/ka.err")"
pass "two requests on one client connection"
