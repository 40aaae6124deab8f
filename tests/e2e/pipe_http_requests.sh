#!/usr/bin/env bash
# HTTP senders through relay-listen: curl -> hyco-relay (HTTP) -> hyco-pipe
# relay-listen:web -> tcp -> an HTTP/1.1 origin (tests/lib/http_target.py).
# Bodies both ways from 0 B to 10 MiB arrive intact (small ones on the
# control channel, large ones over a rendezvous), status, reason and headers
# pass through, the entity prefix is taken off the path, and a target that
# is down or does not speak HTTP gives the sender a 502 while the listener
# keeps serving. hyco-listen, which relays WebSocket streams only, answers
# 501 at once, also for requests that come as a rendezvous pointer.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
CS=$HYCO_CONNECTION_STRING
BASE=http://127.0.0.1:$HYCO_RELAY_PORT

mkdir "$T/www"
python3 "$HYCO_SOURCE_DIR/tests/lib/http_target.py" "$T/www" >"$T/http.out" 2>"$T/http.err" &
on_exit "kill $! 2>/dev/null"
wait_for "$T/http.out" port 10 || fail "http target did not start: $(cat "$T/http.err")"
http_port=$(sed -nE 's/^port ([0-9]+)/\1/p' "$T/http.out")

token() { hyco-token create -x "$CS;EntityPath=$1"; }
# rq ENTITY-PATH-AND-QUERY [curl args]: a request with the entity's token;
# body in $T/body, head in $T/head.
rq() {
    local path=$1
    shift
    curl -sS --max-time 60 -H "ServiceBusAuthorization: $TOK" -D "$T/head" -o "$T/body" "$@" "$BASE/$path"
}
# The final status line (curl also records a 100 Continue).
final_status() { grep '^HTTP/' "$T/head" | tail -n 1; }
status_is() { final_status | grep -q "^HTTP/1.1 $1" || fail "expected '$1', got: $(final_status)"; }

# Before any listener: 502, and the request's URL does not become an entity
# that would later hide the listener's shorter path.
TOK=$(token web/files/early)
rq web/files/early || fail "curl exit $?"
status_is "502"
pipe_server web relay-listen:web tcp:127.0.0.1:$http_port
web_pid=$PIPE_PID
TOK=$(token web)
echo early >"$T/www/early"
rq web/files/early || fail "curl exit $?"
status_is "200 OK"
[ "$(cat "$T/body")" = early ] || fail "early: '$(cat "$T/body")'"
pass "a request before the listener does not shadow its entity"

# Downloads: small on the control channel, large streamed over a rendezvous.
for size in 0 1024 65535 65537 10485760; do
    head -c "$size" /dev/urandom >"$T/www/f$size"
    rq "web/files/f$size" || fail "GET f$size: curl exit $?"
    status_is "200 OK"
    [ "$(sha "$T/body")" = "$(sha "$T/www/f$size")" ] || fail "GET f$size: body changed"
done
pass "GET bodies of 0 B to 10 MiB arrive intact"

# Uploads echoed back: 64 KiB and more travel as a rendezvous pointer.
for size in 0 1024 65535 65537 10485760; do
    head -c "$size" /dev/urandom >"$T/up"
    for method in POST PUT; do
        rq web/echo -X "$method" --data-binary "@$T/up" -H 'Content-Type: application/octet-stream' ||
            fail "$method $size: curl exit $?"
        status_is "200 OK"
        [ "$(sha "$T/body")" = "$(sha "$T/up")" ] || fail "$method $size bytes: echo changed"
    done
done
# A chunked upload of unknown length.
head -c 300000 /dev/urandom >"$T/up"
rq web/echo -X POST -H 'Transfer-Encoding: chunked' --data-binary "@$T/up" || fail "chunked POST: curl exit $?"
[ "$(sha "$T/body")" = "$(sha "$T/up")" ] || fail "chunked upload changed"
pass "POST and PUT bodies of 0 B to 10 MiB, and a chunked one, echoed intact"

# What the origin sees: the path without the entity, forwarding fields, no token.
rq 'web/inspect/a%20b?x=1&sb-hc-token=zzz' -H 'X-Client: one'
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const h = Object.fromEntries(Object.entries(j.headers).map(([k, v]) => [k.toLowerCase(), v]));
const bad = [];
if (j.path !== "/inspect/a%20b?x=1") bad.push("path " + j.path);
if (h["x-client"] !== "one") bad.push("X-Client");
if (h["x-forwarded-prefix"] !== "/web") bad.push("X-Forwarded-Prefix");
if (h["x-forwarded-for"] !== "127.0.0.1") bad.push("X-Forwarded-For " + h["x-forwarded-for"]);
if (!/^1\.1 /.test(h["via"] || "")) bad.push("Via");
if (h["connection"] !== "close") bad.push("Connection");
if ("servicebusauthorization" in h) bad.push("token forwarded");
if (bad.length) { console.error(bad.join("; "), j); process.exit(1); }
' "$T/body" || fail "the origin saw the wrong request"
pass "the origin sees the path without the entity and X-Forwarded-* fields"

# Status, reason phrase and headers pass through; HEAD and DELETE work.
rq web/status/418
status_is "418 Custom Reason"
grep -qi '^X-Custom: yes' "$T/head" || fail "X-Custom missing: $(cat "$T/head")"
grep -q 'status body' "$T/body" || fail "418 body missing"
rq web/files/f1024 -I
status_is "200 OK"
# (curl -I writes the head as the output too: anything more would be a body)
cmp -s "$T/head" "$T/body" || fail "HEAD answered with a body"
rq web/files/nothing -X DELETE
status_is "404"
pass "status, reason, headers, HEAD and DELETE pass through"

# A slow chunked response is streamed (parts arrive 0.5 s apart).
rq web/slow
[ "$(cat "$T/body")" = "one two three" ] || fail "slow response: '$(cat "$T/body")'"
pass "a slow streamed response arrives whole"

# 20 concurrent 1 MiB downloads.
head -c 1048576 /dev/urandom >"$T/www/m1"
pids=()
for i in $(seq 1 20); do
    (curl -sSf --max-time 60 -H "ServiceBusAuthorization: $TOK" "$BASE/web/files/m1" | sha256sum | cut -d' ' -f1 >"$T/c$i") &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent download failed"; done
for i in $(seq 1 20); do [ "$(cat "$T/c$i")" = "$(sha "$T/www/m1")" ] || fail "download $i changed"; done
pass "20 concurrent downloads intact"

# A target that is down: 502, and the listener goes on serving.
refuse_port
dead=$REFUSED_PORT  # refuses for the whole test: no later bind(0) can get it
pipe_server dead relay-listen:dead "tcp:127.0.0.1:$dead"
TOK=$(token dead)
rq dead/x || fail "curl exit $?"
status_is "502 Bad Gateway"
final_status | grep -q 'could not reach its target' || fail "502 reason: $(final_status)"
rq dead/y -X POST --data-binary "@$T/up"  # the pointer form: answered on the rendezvous
status_is "502 Bad Gateway"
final_status | grep -q 'could not reach its target' || fail "pointer-form 502 reason: $(final_status)"
kill -0 "$PIPE_PID" || fail "the listener died with its target"
# A target that answers something other than HTTP: 502.
pipe_server junk relay-listen:junk 'literal:SSH-2.0-OpenSSH_9.2'
TOK=$(token junk)
rq junk/x
status_is "502 Bad Gateway"
final_status | grep -q "no valid HTTP response" || fail "502 reason: $(final_status)"
grep -q 'not a valid HTTP response' "$T/junk.err" || fail "no log line: $(cat "$T/junk.err")"
pass "an unreachable or non-HTTP target gives 502, the listener stays up"

# A target that never answers gives its slot back after --http-timeout
# (the relay has answered the sender 504 by then).
pipe_server stall --max-connections 1 --http-timeout 2s relay-listen:stall "tcp:127.0.0.1:$http_port"
TOK=$(token stall)
curl -sS --max-time 1 -H "ServiceBusAuthorization: $TOK" -o /dev/null "$BASE/stall/never" 2>/dev/null || true
got=
for _ in $(seq 20); do
    rq stall/files/early || true
    if final_status | grep -q '^HTTP/1.1 200'; then got=1; break; fi
    sleep 0.5
done
[ -n "$got" ] || fail "the stalled request kept the only slot: $(final_status)"
grep -q 'gave no response within 2s' "$T/stall.err" || fail "no log of the stalled request: $(cat "$T/stall.err")"
pass "a target that never answers frees its slot after --http-timeout"

# One-way mode cannot answer: 501 at once rather than a hang.
pipe_server oneway -u relay-listen:oneway "tcp:127.0.0.1:$http_port"
TOK=$(token oneway)
rq oneway/files/f1024 || fail "curl exit $?"
status_is "501"

# hyco-listen relays WebSocket connections only: 501 at once, both forms.
HYCO_CONNECTION_STRING="$CS;EntityPath=ws" listen_start ws --exec cat </dev/null
TOK=$(token ws)
rq ws/x || fail "curl exit $?"
status_is "501"
head -c 200000 /dev/urandom >"$T/up"
rq ws/x -X POST --data-binary "@$T/up" --max-time 20 || fail "pointer-form request: curl exit $? (no answer?)"
status_is "501"
pass "hyco-listen answers HTTP requests with 501, including rendezvous pointers"

kill -0 "$web_pid" || fail "relay-listen:web died"
