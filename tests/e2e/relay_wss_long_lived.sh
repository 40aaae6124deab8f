#!/usr/bin/env bash
# wss:// connections live as long as their peers keep them (issue 9): lws
# 4.1.6 arms a 5 s connection-setup timeout after every TLS accept that only
# its http/ws roles clear, and the relay adopts sockets in the raw role. An
# idle hyco-listen over wss:// and a slow sender (a line every 0.75 s for
# about 64 s) must see no reconnect and every line echoed back.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
command -v openssl >/dev/null || { echo "skipped: no openssl" >&2; exit 77; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$HYCO_TEST_TMP/key.pem" -out "$HYCO_TEST_TMP/cert.pem" 2>/dev/null
relay_start -v --cert "$HYCO_TEST_TMP/cert.pem" --key "$HYCO_TEST_TMP/key.pem"
export HYCO_CONNECTION_STRING=$(entity_cs slow)
ca=(--ca "$HYCO_TEST_TMP/cert.pem")
listen_start l "${ca[@]}" --exec cat </dev/null

lines=85
rc=0
for ((i = 1; i <= lines; i++)); do echo "line $i"; sleep 0.75; done |
    timeout 150 hyco-send "${ca[@]}" >"$HYCO_TEST_TMP/echo" 2>"$HYCO_TEST_TMP/send.err" || rc=$?
[ "$rc" = 0 ] || fail "the slow sender exited $rc: $(cat "$HYCO_TEST_TMP/send.err")"
seq 1 "$lines" | sed 's/^/line /' >"$HYCO_TEST_TMP/want"
cmp -s "$HYCO_TEST_TMP/want" "$HYCO_TEST_TMP/echo" ||
    fail "echoed $(wc -l <"$HYCO_TEST_TMP/echo") of $lines lines; last: $(tail -n 1 "$HYCO_TEST_TMP/echo")"
pass "$lines lines over about a minute of wss://"

# The idle control channel was never cut: the listener came online once.
n=$(grep -c 'listener slow .*: online' "$HYCO_RELAY_LOG" || true)
[ "$n" = 1 ] || fail "the listener came online $n times (reconnects over wss://)"
grep -q 'timeout\|closed after 5s' "$HYCO_RELAY_LOG" && fail "lws timed a connection out"
kill -0 "$LISTEN_PID" || fail "the listener exited"
pass "one control channel for the whole run"
echo ok
