# Server mode without a relay: tcp-listen gives every connection its own
# command (concurrently), half-close reaches the command and the reply still
# comes back, and tcp-listen -> tcp forwards an HTTP download intact.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"

pipe_server sort tcp-listen:127.0.0.1:0 'exec:sort -r'
# socat shuts down its write side at end of input and keeps reading (-t).
out=$(printf 'b\na\nc\n' | timeout 10 socat -t 10 - tcp:127.0.0.1:$PIPE_PORT)
[ "$out" = "$(printf 'c\nb\na')" ] || fail "half-close: got '$out'"
pass "half-close: the command saw EOF and its reply arrived"

pids=()
for i in $(seq 1 20); do
    (seq 1 $((i * 1000)) | timeout 30 socat -t 30 - tcp:127.0.0.1:$PIPE_PORT >"$T/c$i") &
    pids+=($!)
done
wait "${pids[@]}"
for i in $(seq 1 20); do
    [ "$(head -n 1 "$T/c$i")" = 999 ] || [ "$(sort -n "$T/c$i" | tail -n 1)" = $((i * 1000)) ] || fail "client $i got a wrong reply"
    [ "$(wc -l <"$T/c$i")" = $((i * 1000)) ] || fail "client $i got $(wc -l <"$T/c$i") lines"
done
pass "20 concurrent connections, each with its own command"

mkdir "$T/www"
head -c 20000000 /dev/urandom >"$T/www/blob"
(cd "$T/www" && exec python3 -m http.server --bind 127.0.0.1 0 >"$T/http.out" 2>&1) &
HTTP_PID=$!
on_exit "kill $HTTP_PID 2>/dev/null"
for ((i = 0; i < 100; i++)); do grep -q "port" "$T/http.out" && break; sleep 0.1; done
http_port=$(sed -nE 's/.*port ([0-9]+).*/\1/p' "$T/http.out" | head -n 1)
[ -n "$http_port" ] || fail "http.server did not start"
pipe_server fwd tcp-listen:127.0.0.1:0 tcp:127.0.0.1:$http_port
timeout 60 curl -sf -o "$T/got" http://127.0.0.1:$PIPE_PORT/blob || fail "curl through hyco-pipe failed"
[ "$(sha "$T/got")" = "$(sha "$T/www/blob")" ] || fail "download changed"
pass "tcp-listen -> tcp forwards an HTTP download intact"

# A closed target fails that connection only, with a logged reason.
port=$(free_port)
pipe_server dead tcp-listen:127.0.0.1:0 tcp:127.0.0.1:$port
timeout 10 curl -s http://127.0.0.1:$PIPE_PORT/ && fail "curl succeeded through a dead target"
for ((i = 0; i < 50; i++)); do grep -q "Connection refused" "$T/dead.err" && break; sleep 0.1; done
grep -q "#1 failed: connect to 127.0.0.1:$port: Connection refused" "$T/dead.err" || fail "no failure line: $(cat "$T/dead.err")"
kill -0 "$PIPE_PID" || fail "the server died with its connection"
pass "a failing connection is logged and the server goes on"
