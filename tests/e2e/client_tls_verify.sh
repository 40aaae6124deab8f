#!/usr/bin/env bash
# Certificate checks of our own client TLS (over lws raw sockets): a
# certificate for another name is refused even with its CA given, the
# reason names the check; half-close works over TLS (the --exec command
# answers after EOF).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
command -v openssl >/dev/null || exit 77
d=$HYCO_TEST_TMP
cert() { # cert NAME SAN
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
        -addext "subjectAltName=$2" -days 2 -keyout "$d/$1.key" -out "$d/$1.pem" 2>/dev/null
}
cert good "DNS:localhost,IP:127.0.0.1"
cert other "DNS:other.example"

relay_start --cert "$d/other.pem" --key "$d/other.key"
other_cs=$HYCO_CONNECTION_STRING
relay_start --cert "$d/good.pem" --key "$d/good.key"
export HYCO_CONNECTION_STRING=$(entity_cs tls)
case "$HYCO_CONNECTION_STRING" in sb://*|Endpoint=sb://*) ;; *) fail "banner: $HYCO_CONNECTION_STRING" ;; esac

listen_start l --ca "$d/good.pem" -b --exec 'cat >/dev/null; printf reply' </dev/null
out=$(printf req | timeout 20 hyco-send --ca "$d/good.pem" -b) || fail "hyco-send --ca exit $?"
[ "$out" = reply ] || fail "reply over TLS: '$out'"

set +e
printf req | timeout 20 hyco-send -b >"$d/out1" 2>"$d/err1"
rc=$?
set -e
[ "$rc" = 1 ] || fail "unknown CA: exit $rc"
grep -q "certificate verification failed" "$d/err1" || fail "unknown CA: $(cat "$d/err1")"

out=$(printf req | timeout 20 hyco-send --insecure-skip-tls-verify -b 2>/dev/null) || fail "insecure exit $?"
[ "$out" = reply ] || fail "reply without verification: '$out'"

set +e
printf req | HYCO_CONNECTION_STRING="$other_cs;EntityPath=tls" timeout 20 hyco-send --ca "$d/other.pem" -b \
    >"$d/out2" 2>"$d/err2"
rc=$?
set -e
[ "$rc" = 1 ] || fail "wrong name: exit $rc"
grep -q "mismatch" "$d/err2" || fail "wrong name: $(cat "$d/err2")"
echo ok
