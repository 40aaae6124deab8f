#!/usr/bin/env bash
# wss:// to a hyco-relay with a private certificate: refused by default
# (verification against the system store), accepted with --ca, and with the
# loudly named --insecure-skip-tls-verify, which warns.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
test_cert "$HYCO_TEST_TMP"
relay_start --cert "$HYCO_TEST_TMP/cert.pem" --key "$HYCO_TEST_TMP/key.pem"
export HYCO_CONNECTION_STRING=$(entity_cs secure)
case "$HYCO_CONNECTION_STRING" in *UseDevelopmentEmulator*) fail "not a TLS relay" ;; esac

rc=0
timeout 20 hyco-send -m x 2>"$HYCO_TEST_TMP/err" || rc=$?
[ "$rc" = 1 ] || fail "untrusted certificate: expected 1, got $rc"
grep -q 'TLS handshake failed.*--ca' "$HYCO_TEST_TMP/err" || fail "stderr: $(cat "$HYCO_TEST_TMP/err")"

listen_start l --ca "$HYCO_TEST_TMP/cert.pem" --exec cat </dev/null
out=$(timeout 20 hyco-send --ca "$HYCO_TEST_TMP/cert.pem" -m "over tls") || fail "--ca: exit $?"
[ "$out" = "over tls" ] || fail "--ca echo: '$out'"
out=$(timeout 20 hyco-send --insecure-skip-tls-verify -m insecure 2>"$HYCO_TEST_TMP/err") || fail "insecure: exit $?"
[ "$out" = insecure ] || fail "insecure echo: '$out'"
grep -q 'warning: --insecure-skip-tls-verify' "$HYCO_TEST_TMP/err" || fail "no warning"
echo ok
