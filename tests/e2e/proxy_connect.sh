#!/usr/bin/env bash
# hyco-listen and hyco-send through a real HTTP proxy (tinyproxy on
# loopback): control channel, sender and rendezvous all tunnel with CONNECT,
# as its log shows, over ws:// and wss://; NO_PROXY bypasses it; --proxy
# wins over the environment; a proxy that is down or refuses the CONNECT
# is a clear one-line error and a non-zero exit.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/proxy.sh"
require_tinyproxy
command -v openssl >/dev/null || { echo "skipped: no openssl" >&2; exit 77; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
relay_start --cert "$T/cert.pem" --key "$T/key.pem"
WSS_CS=$HYCO_CONNECTION_STRING
WSS_PORT=$HYCO_RELAY_PORT
relay_start
WS_CS=$HYCO_CONNECTION_STRING
WS_PORT=$HYCO_RELAY_PORT
proxy_start proxy "ConnectPort $WS_PORT" "ConnectPort $WSS_PORT"
P=http://127.0.0.1:$PROXY_PORT

# ws:// (the emulator form) goes through http_proxy, like curl's http://.
export HYCO_CONNECTION_STRING="$WS_CS;EntityPath=plain"
http_proxy=$P listen_start l1 -b --exec cat </dev/null
grep -q "via proxy 127.0.0.1:$PROXY_PORT" "$T/l1.err" || fail "-v does not name the proxy: $(cat "$T/l1.err")"
[ "$(proxy_connects "127.0.0.1:$WS_PORT")" -ge 1 ] || fail "the control channel did not go through the proxy: $(cat "$PROXY_LOG")"
head -c 300000 /dev/urandom >"$T/data"
before=$(proxy_connects "127.0.0.1:$WS_PORT")
http_proxy=$P hyco-send -v -b <"$T/data" >"$T/back" 2>"$T/send.err" || fail "send via proxy: $(cat "$T/send.err")"
cmp -s "$T/data" "$T/back" || fail "the bytes that came back differ"
grep -q "via proxy 127.0.0.1:$PROXY_PORT" "$T/send.err" || fail "hyco-send -v: $(cat "$T/send.err")"
after=$(proxy_connects "127.0.0.1:$WS_PORT")
# The sender and the listener's rendezvous: two more tunnels.
[ $((after - before)) = 2 ] || fail "expected 2 more CONNECTs (sender, rendezvous), got $((after - before))"
[ "$(grep -c 'Established connection to host "127.0.0.1"' "$PROXY_LOG")" -ge 3 ] || fail "tunnels not established: $(cat "$PROXY_LOG")"
pass "ws:// listener and sender through the proxy, bytes intact"

# HTTPS_PROXY is not used for ws:// targets; ALL_PROXY is.
before=$(proxy_connects)
out=$(HTTPS_PROXY=$P hyco-send -m direct) || fail "HTTPS_PROXY for a ws:// target: exit $?"
[ "$out" = direct ] && [ "$(proxy_connects)" = $((before + 1)) ] || fail "HTTPS_PROXY proxied a ws:// sender (or no echo: '$out')"
out=$(ALL_PROXY=$P hyco-send -m all) || fail "ALL_PROXY: exit $?"
[ "$out" = all ] && [ "$(proxy_connects)" = $((before + 3)) ] || fail "ALL_PROXY was not used"
pass "HTTPS_PROXY only for wss://, ALL_PROXY for either"

# NO_PROXY: a listener and a sender that must not touch the proxy.
export HYCO_CONNECTION_STRING="$WS_CS;EntityPath=bypass"
before=$(proxy_connects)
NO_PROXY=127.0.0.1 http_proxy=$P ALL_PROXY=$P listen_start l2 --exec cat </dev/null
out=$(NO_PROXY=localhost,127.0.0.1 http_proxy=$P hyco-send -m bypassed) || fail "NO_PROXY send: exit $?"
[ "$out" = bypassed ] || fail "NO_PROXY echo: '$out'"
out=$(no_proxy='*' hyco-send --proxy "$P" -m star) || fail "no_proxy=* send: exit $?"
[ "$out" = star ] || fail "no_proxy=* echo: '$out'"
[ "$(proxy_connects)" = "$before" ] || fail "NO_PROXY traffic reached the proxy: $(tail -n 5 "$PROXY_LOG")"
grep -q "via proxy" "$T/l2.err" && fail "-v claims a proxy under NO_PROXY"
pass "NO_PROXY (names, IPs, *) bypasses the proxy"

# wss:// through HTTPS_PROXY: TLS inside the tunnel, verified against the relay.
export HYCO_CONNECTION_STRING="$WSS_CS;EntityPath=secure"
before=$(proxy_connects "127.0.0.1:$WSS_PORT")
HTTPS_PROXY=$P listen_start l3 --ca "$T/cert.pem" --exec cat </dev/null
out=$(HTTPS_PROXY=$P hyco-send --ca "$T/cert.pem" -m "tls in a tunnel") || fail "wss via proxy: exit $?"
[ "$out" = "tls in a tunnel" ] || fail "wss echo: '$out'"
[ $(($(proxy_connects "127.0.0.1:$WSS_PORT") - before)) = 3 ] || fail "wss:// did not go through the proxy"
rc=0
HTTPS_PROXY=$P timeout 20 hyco-send -m x >/dev/null 2>"$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'TLS handshake failed' "$T/err" || fail "untrusted cert through the proxy: exit $rc, $(cat "$T/err")"
pass "wss:// through HTTPS_PROXY, certificate still checked"

# --proxy wins over the environment (here: a dead proxy in the variable).
DEAD=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HYCO_CONNECTION_STRING="$WS_CS;EntityPath=plain"
out=$(http_proxy=http://127.0.0.1:$DEAD hyco-send --proxy "$P" -m flag) || fail "--proxy over http_proxy: exit $?"
[ "$out" = flag ] || fail "--proxy echo: '$out'"
out=$(http_proxy=http://127.0.0.1:$DEAD hyco-send --proxy '' -m none) || fail "--proxy '': exit $?"
[ "$out" = none ] || fail "--proxy '' echo: '$out'"
pass "--proxy overrides the environment; --proxy '' turns it off"

# A proxy that is down: the proxy is named, exit 1, quickly.
expect_status 1 timeout 20 hyco-send --proxy "http://127.0.0.1:$DEAD" -m x
expect_err "proxy 127.0.0.1:$DEAD: "
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than one line: $(cat "$T/err")"
# A listener waits it out, as for a relay that is down, and says why.
expect_status 124 timeout 3 hyco-listen --proxy "127.0.0.1:$DEAD" --exec cat
expect_err "offline: proxy 127.0.0.1:$DEAD: "
pass "proxy down: $(cat "$T/err")"

# A proxy that refuses the CONNECT (tinyproxy: port not in ConnectPort).
proxy_start strict "ConnectPort 443"
expect_status 1 timeout 20 hyco-send --proxy "http://127.0.0.1:$PROXY_PORT" -m x
expect_err "proxy 127.0.0.1:$PROXY_PORT refused CONNECT to 127.0.0.1:$WS_PORT: 403 Access violation"
pass "CONNECT refused: $(cat "$T/err")"

# A proxy that hangs up instead of answering CONNECT, or answers something
# that is not HTTP: the proxy is named, with what went wrong.
fake_http_peer hangup
expect_status 1 timeout 20 hyco-send --proxy "http://127.0.0.1:$FAKE_PORT" -m x
expect_err "proxy 127.0.0.1:$FAKE_PORT: it hung up before answering CONNECT"
fake_http_peer not-http
expect_status 1 timeout 20 hyco-send --proxy "http://127.0.0.1:$FAKE_PORT" -m x
expect_err "proxy 127.0.0.1:$FAKE_PORT: malformed answer to CONNECT"
pass "a proxy that does not answer CONNECT: $(cat "$T/err")"

# Malformed proxy settings are usage errors naming their source.
expect_status 2 hyco-send --proxy socks5://127.0.0.1:1080 -m x
expect_err "--proxy: "
expect_status 2 env HTTPS_PROXY=http://127.0.0.1:0 hyco-send -m x
expect_err "HTTPS_PROXY: "
echo ok
