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

relay_start --rule ops:OpsKey0123456789:manage --rule app::send
[[ "$HYCO_CONNECTION_STRING" == *";SharedAccessKeyName=ops;SharedAccessKey=OpsKey0123456789;"* ]] ||
    fail "rule banner: $HYCO_CONNECTION_STRING"
[ "$(wc -l <"$HYCO_RELAY_OUT")" = 1 ] || fail "stdout has more than the banner"
grep -q "OpsKey0123456789" "$HYCO_RELAY_LOG" && fail "the key was logged"

set +e
err=$(hyco-relay --rule bad 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] || fail "--rule bad exited $rc"
[[ "$err" == "hyco-relay: error: invalid --rule"* ]] || fail "message: $err"
err=$(hyco-relay --rule a::fly 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [[ "$err" == *"expected listen, send and/or manage"* ]] || fail "rights: $rc $err"
err=$(hyco-relay --declared-only 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] || fail "--declared-only without entities exited $rc"
# A port in use is a runtime failure.
err=$(timeout 5 hyco-relay --host 127.0.0.1 --port "$HYCO_RELAY_PORT" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [[ "$err" == *"cannot listen on 127.0.0.1 port $HYCO_RELAY_PORT: Address already in use"* ]] || fail "port in use: $rc $err"
echo ok
