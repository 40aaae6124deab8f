#!/usr/bin/env bash
# relay-http: the HTTP front. curl -> hyco-pipe tcp-listen relay-http:web
# (adds the token) -> hyco-relay (HTTP) -> hyco-pipe relay-listen:web ->
# an HTTP/1.1 origin (tests/lib/http_target.py). GET, POST and PUT bodies
# of 0 B, 1 KiB and 100 MiB arrive intact (SHA-256) without the front
# holding them in memory; several requests share one client connection;
# the relay's answers (no listener, 401) reach the client; a relay that is down
# gives 502 with a one-line reason, logged, and the front keeps serving.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BIG_MB=${HYCO_PIPE_BIG_MB:-100}

mkdir "$T/www"
python3 "$HYCO_SOURCE_DIR/tests/lib/http_target.py" "$T/www" >"$T/http.out" 2>"$T/http.err" &
on_exit "kill $! 2>/dev/null"
wait_for "$T/http.out" port 10 || fail "http target did not start: $(cat "$T/http.err")"
http_port=$(sed -nE 's/^port ([0-9]+)/\1/p' "$T/http.out")

pipe_server origin relay-listen:web "tcp:127.0.0.1:$http_port"
pipe_server front --max-connections 20 tcp-listen:127.0.0.1:0 relay-http:web
front_pid=$PIPE_PID
BASE=http://127.0.0.1:$PIPE_PORT
# rq PATH [curl args]: head in $T/head, body in $T/body.
rq() {
    local path=$1
    shift
    curl -sS --max-time 300 -D "$T/head" -o "$T/body" "$@" "$BASE/$path"
}
final_status() { grep '^HTTP/' "$T/head" | tail -n 1; }
status_is() { final_status | grep -q "^HTTP/1.1 $1" || fail "expected '$1', got: $(final_status)"; }

# The front streams: its peak memory stays far below one big body. Checked
# after each exchange, so that a failure names the one that grew it.
# (40 MiB: the process itself, the copier's buffers and TLS, far from 100 MiB.)
# AddressSanitizer keeps up to 256 MiB of freed memory in quarantine, so the
# bound means nothing in the sanitizer build: there, ASan checks the memory.
asan=0
ldd "$(command -v hyco-pipe)" 2>/dev/null | grep -q libasan && asan=1
hwm=
check_peak() {
    hwm=$(sed -nE 's/^VmHWM:[[:space:]]*([0-9]+) kB/\1/p' "/proc/$front_pid/status")
    [ -n "$hwm" ] || fail "no VmHWM for pid $front_pid"
    [ "$asan" = 1 ] || [ "$BIG_MB" -lt 80 ] || [ "$hwm" -lt 40960 ] ||
        fail "the front peaked at $hwm kB by the end of $1; its memory: $(grep -E '^(VmRSS|RssAnon|RssFile)' "/proc/$front_pid/status" | tr -s ' \t\n' ' '); its log: $(tail -n 20 "$T/front.err")"
}

for size in 0 1024 $((BIG_MB * 1048576)); do
    head -c "$size" /dev/urandom >"$T/www/f$size"
    rq "files/f$size" || fail "GET $size: curl exit $?"
    status_is "200 OK"
    [ "$(sha "$T/body")" = "$(sha "$T/www/f$size")" ] || fail "GET $size bytes: body changed"
    check_peak "GET of $size bytes"
    for method in POST PUT; do
        rq echo -X "$method" --data-binary "@$T/www/f$size" -H 'Content-Type: application/octet-stream' ||
            fail "$method $size: curl exit $?"
        status_is "200 OK"
        [ "$(sha "$T/body")" = "$(sha "$T/www/f$size")" ] || fail "$method $size bytes: echo changed"
        check_peak "$method of $size bytes"
    done
done
pass "GET, POST and PUT of 0 B, 1 KiB and $BIG_MB MiB intact"

# A chunked upload (unknown length) echoed back, and a chunked response.
head -c 3000000 /dev/urandom >"$T/up"
rq echo -X POST -H 'Transfer-Encoding: chunked' --data-binary "@$T/up" || fail "chunked POST: curl exit $?"
[ "$(sha "$T/body")" = "$(sha "$T/up")" ] || fail "chunked upload changed"
rq slow || fail "chunked GET: curl exit $?"
[ "$(cat "$T/body")" = "one two three" ] || fail "chunked response: '$(cat "$T/body")'"
grep -qi '^Transfer-Encoding: chunked' "$T/head" || fail "the streamed response was not chunked: $(cat "$T/head")"
pass "chunked bodies both ways"
check_peak "the chunked exchanges"
if [ "$asan" = 1 ]; then
    echo "note: sanitizer build, peak RSS $hwm kB not checked"
else
    pass "the front's peak RSS is $hwm kB after $BIG_MB MiB bodies both ways"
fi

# Keep-alive: three requests on one connection (curl says when it reuses one).
echo a >"$T/www/a"
echo b >"$T/www/b"
curl -sS -v --max-time 60 "$BASE/files/a" "$BASE/files/b" "$BASE/files/a" >"$T/ka.out" 2>"$T/ka.err" ||
    fail "keep-alive curl failed: $(tail -n 5 "$T/ka.err")"
[ "$(cat "$T/ka.out")" = "$(printf 'a\nb\na')" ] || fail "keep-alive bodies: $(cat "$T/ka.out")"
[ "$(grep -c 'Re-using existing connection\|Reusing existing connection' "$T/ka.err")" = 2 ] ||
    fail "curl did not reuse its connection: $(grep -i 'connect' "$T/ka.err")"
[ "$(grep -c '^\* Connected to' "$T/ka.err")" = 1 ] || fail "curl connected more than once"
pass "three requests on one client connection"

# What the origin sees: the path under the entity, the client's fields, no
# token, and the Authorization field of the client passed through.
rq 'inspect/a%20b?x=1' -H 'X-Client: one' -H 'Authorization: Bearer app' || fail "inspect: curl exit $?"
python3 - "$T/body" <<'PY' || fail "the origin saw the wrong request: $(cat "$T/body")"
import json, sys
j = json.load(open(sys.argv[1]))
h = {k.lower(): v for k, v in j["headers"].items()}
bad = []
if j["path"] != "/inspect/a%20b?x=1": bad.append("path " + j["path"])
if h.get("x-client") != "one": bad.append("X-Client")
if h.get("authorization") != "Bearer app": bad.append("Authorization")
if "servicebusauthorization" in h: bad.append("token forwarded")
sys.exit(1 if bad else 0)
PY
pass "the origin sees the path, the client's fields and its Authorization"

# Status, reason and headers pass back; HEAD has no body.
rq status/418 || fail "curl exit $?"
status_is "418 Custom Reason"
grep -qi '^X-Custom: yes' "$T/head" || fail "X-Custom missing: $(cat "$T/head")"
rq files/f1024 -I || fail "HEAD: curl exit $?"
status_is "200 OK"
cmp -s "$T/head" "$T/body" || fail "HEAD answered with a body"  # (curl -I writes the head as the output too)
pass "status, reason, headers and HEAD pass back"

# No listener on the entity: the relay's answer (502 and its reason, as
# Azure's) reaches the client unchanged.
pipe_server nobody tcp-listen:127.0.0.1:0 relay-http:nobody
BASE=http://127.0.0.1:$PIPE_PORT
rq x || fail "curl exit $?"
status_is "502 BadGateway: the request could not be routed: no listener"
pass "no listener: the relay's own answer"

# A wrong key: the relay's 401.
bad_cs=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/SharedAccessKey=[^;]*/SharedAccessKey=wrongwrongwrong/')
HYCO_CONNECTION_STRING=$bad_cs pipe_server badkey tcp-listen:127.0.0.1:0 relay-http:web
BASE=http://127.0.0.1:$PIPE_PORT
rq files/a || fail "curl exit $?"
status_is "401"
pass "a refused token: the relay's 401"

# Relay down: 502 with a one-line reason, a line on stderr, and the front
# keeps serving (the next request, once the relay is back, succeeds).
refuse_port
dead=$REFUSED_PORT  # refuses for the whole test: no later bind(0) can get it
HYCO_CONNECTION_STRING="Endpoint=sb://127.0.0.1:$dead/;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true" \
    pipe_server down tcp-listen:127.0.0.1:0 relay-http:web
down_pid=$PIPE_PID
BASE=http://127.0.0.1:$PIPE_PORT
rq files/a || fail "curl exit $?"
status_is "502 Bad Gateway"
[ "$(wc -l <"$T/body")" = 1 ] || fail "the 502 body is not one line: $(cat "$T/body")"
grep -q 'Connection refused' "$T/body" || fail "502 body: $(cat "$T/body")"
grep -q "relay-http:web: GET '/files/a': .*Connection refused" "$T/down.err" || fail "no log line: $(cat "$T/down.err")"
rq files/a -X POST --data-binary "@$T/up" || fail "curl exit $?"
status_is "502 Bad Gateway"
kill -0 "$down_pid" || fail "the front died with the relay down"
pass "relay down: 502 and a log line, the front keeps serving"

kill -0 "$front_pid" || fail "the front died"
