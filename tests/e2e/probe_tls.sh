#!/usr/bin/env bash
# hyco-probe's tls step against a wss:// hyco-relay with a private
# certificate: untrusted by default (the step fails with the certificate's
# subject and OpenSSL's reason, exit 1, later network steps skipped),
# verified with --ca (every step ok with a listener online), a warning with
# --insecure; and a plain ws:// relay probed as wss:// (not TLS).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
test_cert "$HYCO_TEST_TMP"
relay_start --cert "$HYCO_TEST_TMP/cert.pem" --key "$HYCO_TEST_TMP/key.pem"
CS=$(entity_cs secure)
case "$CS" in *UseDevelopmentEmulator*) fail "not a TLS relay" ;; esac

line() {
    grep -E "^$1 +$2( |$)" "$T/out" | grep -qF -- "${3:-}" ||
        fail "no '$1 $2 ${3:-}' line; stdout: $(cat "$T/out"); stderr: $(cat "$T/err")"
}

expect_status 1 timeout 30 hyco-probe -x "$CS"
line tcp ok
line tls fail 'subject CN=localhost, issuer CN=localhost'
line tls fail 'NOT verified: self-signed certificate'
line tls fail '(trust its CA with --ca FILE)'
line token ok
line runtime skip 'tls failed'
line sender skip 'tls failed'
line listener skip 'tls failed'
expect_err 'hyco-probe: error: tls: '
pass "untrusted certificate: tls fails, exit 1"

listen_start l -x "$CS" --ca "$HYCO_TEST_TMP/cert.pem" -e cat </dev/null
expect_status 0 timeout 30 hyco-probe -x "$CS" --ca "$HYCO_TEST_TMP/cert.pem" --echo
line tls ok 'subject CN=localhost'
line tls ok 'verified'
line tls ok 'expires 20'
line runtime ok '1 listener'
line sender ok 'echo round trip'
line listener ok
pass "--ca: tls verified, every step ok"

expect_status 0 timeout 30 hyco-probe -x "$CS" --insecure
line tls warn 'NOT verified'
line sender ok
expect_err 'warning: --insecure-skip-tls-verify'
pass "--insecure: an unverified certificate is a warning"

relay_start
plain=$(entity_cs secure | sed 's/;UseDevelopmentEmulator=true//')
expect_status 1 timeout 30 hyco-probe -x "$plain"
line tls fail 'does not speak TLS'
pass "a ws:// relay probed as wss://: not TLS, exit 1"
