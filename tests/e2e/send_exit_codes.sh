#!/usr/bin/env bash
# hyco-send's exit status says why it could not connect: no listener 4,
# wrong key 3, unknown entity 4, relay not there 1, connect timeout 5.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start

expect() {  # expect CODE PATTERN hyco-send args...
    local code=$1 pattern=$2 rc=0
    shift 2
    timeout 20 hyco-send "$@" -m x 2>"$HYCO_TEST_TMP/err" || rc=$?
    [ "$rc" = "$code" ] || fail "hyco-send $*: expected $code, got $rc: $(cat "$HYCO_TEST_TMP/err")"
    grep -q -- "$pattern" "$HYCO_TEST_TMP/err" || fail "hyco-send $*: stderr: $(cat "$HYCO_TEST_TMP/err")"
    grep -q '^hyco-send: error: ' "$HYCO_TEST_TMP/err" || fail "format: $(cat "$HYCO_TEST_TMP/err")"
}

expect 4 '404' -x "$(entity_cs nobody)"
bad=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/SharedAccessKey=[^;]*/SharedAccessKey=d3JvbmcK/')
expect 3 '401' -x "$bad;EntityPath=x"
grep -q 'd3JvbmcK' "$HYCO_TEST_TMP/err" && fail "the key was printed"
# A port nobody listens on: refused.
expect 1 'connect' -n "127.0.0.1:1" -p x --emulator -k RootManageSharedAccessKey --token "$(hyco-token create -x "$(entity_cs x)")"
# A listening TCP socket that never answers the upgrade: timeout.
node -e 'require("net").createServer(()=>{}).listen(0,"127.0.0.1",function(){console.log(this.address().port)})' \
    >"$HYCO_TEST_TMP/port" 2>/dev/null &
hyco_cleanup_add "hyco_stop_pid $!"
wait_for "$HYCO_TEST_TMP/port" '[0-9]' 10 || fail "no silent server"
expect 5 'upgrade' -n "127.0.0.1:$(cat "$HYCO_TEST_TMP/port")" -p x --emulator --connect-timeout 1s \
    --token "$(hyco-token create -x "$(entity_cs x)")"
# A query that is not URL-encoded could forge request headers: usage error.
rc=0
hyco-send -x "$(entity_cs x)" --query $'a=1 HTTP/1.1\r\nX-Evil: 1' -m x 2>"$HYCO_TEST_TMP/err" || rc=$?
[ "$rc" = 2 ] || fail "--query with CR LF: exit $rc"
grep -q 'must be URL-encoded' "$HYCO_TEST_TMP/err" || fail "stderr: $(cat "$HYCO_TEST_TMP/err")"
echo ok
