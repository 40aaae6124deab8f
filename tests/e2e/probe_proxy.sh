#!/usr/bin/env bash
# hyco-probe through an HTTP proxy (tinyproxy on loopback): dns resolves the
# proxy, tcp opens the CONNECT tunnel (counted in the proxy's log), and the
# runtime, sender and listener steps all go through it. A proxy that wants
# credentials fails the tcp step with exit 3, a proxy that is down with exit
# 1, and NO_PROXY sends the probe straight to the relay (log unchanged).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/proxy.sh"
require_tinyproxy
relay_start
CS=$(entity_cs probed)
export HYCO_CONNECTION_STRING=$CS
listen_start l --exec cat </dev/null

line() {
    grep -E "^$1 +$2( |$)" "$T/out" | grep -qF -- "${3:-}" ||
        fail "no '$1 $2 ${3:-}' line; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
}

proxy_start open "ConnectPort $HYCO_RELAY_PORT"
P=127.0.0.1:$PROXY_PORT
expect_status 0 timeout 30 hyco-probe --proxy "http://$P"
line dns ok '127.0.0.1'
line tcp ok "connected to 127.0.0.1:$HYCO_RELAY_PORT through the proxy 127.0.0.1:$PROXY_PORT"
line runtime ok '1 listener'
line sender ok
line listener ok
# The probe's own tunnel, the sender's and the listener's.
[ "$(proxy_connects "127.0.0.1:$HYCO_RELAY_PORT")" -ge 3 ] || fail "the proxy logged too few CONNECTs: $(cat "$PROXY_LOG")"
pass "every step through the proxy"

before=$(proxy_connects)
NO_PROXY=127.0.0.1 expect_status 0 timeout 30 hyco-probe --proxy "http://$P"
line tcp ok "connected to 127.0.0.1:$HYCO_RELAY_PORT"
grep -q 'through the proxy' "$T/out" && fail "NO_PROXY ignored: $(cat "$T/out")"
[ "$(proxy_connects)" = "$before" ] || fail "NO_PROXY: the proxy still saw a CONNECT"
pass "NO_PROXY bypasses the proxy"

proxy_start authed "ConnectPort $HYCO_RELAY_PORT" "BasicAuth alice S3cretPass"
expect_status 3 timeout 30 hyco-probe --proxy "http://alice:Wrong@127.0.0.1:$PROXY_PORT"
line tcp fail 'check the --proxy credentials'
line runtime skip
grep -q Wrong "$T/out" "$T/err" && fail "the proxy password was printed"
expect_status 0 timeout 30 hyco-probe --proxy "http://alice:S3cretPass@127.0.0.1:$PROXY_PORT"
line tcp ok 'through the proxy'
pass "proxy credentials: refused is exit 3, right ones pass"

DOWN=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
expect_status 1 timeout 30 hyco-probe --proxy "http://127.0.0.1:$DOWN"
line tcp fail "127.0.0.1:$DOWN"
pass "a proxy that is down fails the tcp step"
