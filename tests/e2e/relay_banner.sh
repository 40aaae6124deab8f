#!/usr/bin/env bash
# The banner: exactly one stdout line, a connection string for the
# management rule (generated key by default, or the one given), with
# UseDevelopmentEmulator=true for ws://; usage errors exit 2.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start
re='^Endpoint=sb://127\.0\.0\.1:[0-9]+/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[A-Za-z0-9+/]{43}=;UseDevelopmentEmulator=true$'
[[ "$HYCO_CONNECTION_STRING" =~ $re ]] || fail "banner: $HYCO_CONNECTION_STRING"
[ "$HYCO_RELAY_PORT" -gt 0 ] || fail "port: $HYCO_RELAY_PORT"
# hyco-token accepts the banner and mints a token the relay accepts.
hyco-token create -x "$HYCO_CONNECTION_STRING;EntityPath=x" >/dev/null || fail "hyco-token rejects the banner"

relay_start --rule ops:OpsKey0123456789:manage --rule app::send --rule given:GivenKey0123456789:listen
[[ "$HYCO_CONNECTION_STRING" == *";SharedAccessKeyName=ops;SharedAccessKey=OpsKey0123456789;"* ]] ||
    fail "rule banner: $HYCO_CONNECTION_STRING"
# A generated key exists nowhere else: its rule gets a line too (a given key does not).
[ "$(wc -l <"$HYCO_RELAY_OUT")" = 2 ] || fail "stdout: $(cat "$HYCO_RELAY_OUT")"
re='^Endpoint=sb://127\.0\.0\.1:[0-9]+/;SharedAccessKeyName=app;SharedAccessKey=[A-Za-z0-9+/]{43}=;UseDevelopmentEmulator=true$'
[[ "$(sed -n 2p "$HYCO_RELAY_OUT")" =~ $re ]] || fail "generated rule line: $(sed -n 2p "$HYCO_RELAY_OUT")"
hyco-token create -x "$(sed -n 2p "$HYCO_RELAY_OUT");EntityPath=x" >/dev/null || fail "the generated rule's line is unusable"
grep -q "OpsKey0123456789" "$HYCO_RELAY_LOG" && fail "the key was logged"
# -v starts quietly: no lws line at all (the loop's signalfd, once adopted
# into lws, drew a warning from the raw-skt accept role).
relay_start -v
grep -q 'lws:' "$HYCO_RELAY_LOG" && fail "-v start-up logged lws noise: $(cat "$HYCO_RELAY_LOG")"

set +e
err=$(hyco-relay --rule bad 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] || fail "--rule bad exited $rc"
[[ "$err" == "hyco-relay: error: invalid --rule"* ]] || fail "message: $err"
err=$(hyco-relay --rule a::fly 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [[ "$err" == *"expected listen, send and/or manage"* ]] || fail "rights: $rc $err"
err=$(hyco-relay --declared-only 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] || fail "--declared-only without entities exited $rc"
# Unusable TLS files: one line naming the file and why, nothing from lws.
err=$(hyco-relay --cert nosuch.pem --key nosuch.key 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [ "$err" = "hyco-relay: error: cannot use --cert 'nosuch.pem': No such file or directory" ] ||
    fail "--cert nosuch.pem: $rc $err"
printf 'not a certificate\n' >"$T/bad.pem"
err=$(hyco-relay --cert "$T/bad.pem" --key "$T/bad.pem" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && [[ "$err" == *"bad.pem'"*"not a PEM certificate"* ]] || fail "bad cert: $rc $err"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=a -keyout "$T/a.key" -out "$T/a.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/b.key" 2>/dev/null
err=$(hyco-relay --cert "$T/a.pem" --key "$T/b.key" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [[ "$err" == *"b.key'"*"does not belong to the certificate"* ]] || fail "mismatched key: $rc $err"
grep -qi 'lws' <<<"$err" && fail "lws lines reached the user: $err"
# A port in use is a runtime failure.
err=$(timeout 5 hyco-relay --host 127.0.0.1 --port "$HYCO_RELAY_PORT" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [[ "$err" == *"cannot listen on 127.0.0.1 port $HYCO_RELAY_PORT: Address already in use"* ]] || fail "port in use: $rc $err"
echo ok
