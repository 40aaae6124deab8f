# Port forwarding through a local hyco-relay: curl -> tcp-listen ->
# relay-connect -> hyco-relay -> relay-listen -> tcp -> python http.server.
# One large download and concurrent ones arrive intact (SHA-256), and
# failures are reported, never passed off as success.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start
BIG_MB=${HYCO_PIPE_BIG_MB:-100}
N=${HYCO_PIPE_CONCURRENT:-50}

mkdir "$T/www"
head -c $((BIG_MB * 1048576)) /dev/urandom >"$T/www/big"
(cd "$T/www" && exec python3 -m http.server --bind 127.0.0.1 0 >"$T/http.out" 2>&1) &
HTTP_PID=$!
on_exit "kill $HTTP_PID 2>/dev/null"
for ((i = 0; i < 100; i++)); do grep -q "port" "$T/http.out" && break; sleep 0.1; done
http_port=$(sed -nE 's/.*port ([0-9]+).*/\1/p' "$T/http.out" | head -n 1)

pipe_server remote relay-listen:web tcp:127.0.0.1:$http_port
remote_pid=$PIPE_PID
pipe_server local --max-connections 100 tcp-listen:127.0.0.1:0 relay-connect:web
timeout 120 curl -sf -o "$T/got" http://127.0.0.1:$PIPE_PORT/big || fail "curl through the relay failed"
[ "$(sha "$T/got")" = "$(sha "$T/www/big")" ] || fail "$BIG_MB MiB download changed"
pass "$BIG_MB MiB through the relay, SHA-256 equal"

# 50 such transfers at once (100 MiB each by default), hashed as they stream.
pids=()
for i in $(seq 1 "$N"); do
    (set -o pipefail; timeout 600 curl -sf http://127.0.0.1:$PIPE_PORT/big | sha256sum | cut -d' ' -f1 >"$T/sha$i") &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent curl failed"; done
want=$(sha "$T/www/big")
for i in $(seq 1 "$N"); do [ "$(cat "$T/sha$i")" = "$want" ] || fail "download $i changed"; done
pass "$N concurrent $BIG_MB MiB downloads through the relay intact"

# Target port closed: that connection fails, the listener stays up.
port=$(free_port)
pipe_server dead relay-listen:dead tcp:127.0.0.1:$port
echo hi | timeout 20 hyco-pipe - relay-connect:dead >/dev/null 2>&1 || true
for ((i = 0; i < 50; i++)); do grep -q "Connection refused" "$T/dead.err" && break; sleep 0.1; done
grep -q "failed: connect to 127.0.0.1:$port: Connection refused" "$T/dead.err" || fail "no failure line: $(cat "$T/dead.err")"
kill -0 "$PIPE_PID" || fail "the listener died with one connection"
pass "a closed target port fails one connection, logged"

# No listener: exit 4 with the relay's reason.
expect_status 4 timeout 20 hyco-pipe literal:x relay-connect:nobody
expect_err "hyco-pipe: error: relay-connect:nobody: relay answered 404"

# Relay killed mid-transfer: the sender exits non-zero, never 0.
pipe_server sink relay-listen:sink 'exec:cat >/dev/null'
head -c 2000000000 /dev/zero | timeout 60 hyco-pipe - relay-connect:sink >/dev/null 2>"$T/kill.err" &
victim=$!
sleep 0.5
hyco_stop_pid "$HYCO_RELAY_PID"
set +e
wait "$victim"
rc=$?
set -e
[ "$rc" != 0 ] || fail "a transfer cut by the relay's death exited 0"
[ "$rc" != 124 ] || fail "the sender hung after the relay died"
grep -q "hyco-pipe: error: " "$T/kill.err" || fail "no error line: $(cat "$T/kill.err")"
pass "relay killed mid-transfer: exit $rc, $(head -n 1 "$T/kill.err")"

# Relay down at start.
expect_status 1 timeout 20 hyco-pipe literal:x relay-connect:web
expect_err "hyco-pipe: error: "
pass "relay down at start: exit 1"
