#!/usr/bin/env bash
# A relay that breaks the WebSocket protocol: a Close frame whose payload is
# one byte long. hyco-send answers with Close 1002 (RFC 6455 §7.1.7: the
# receiving rules of core/ws/ws_endpoint.h, shared with hyco-relay), exits 1
# and says in one line that the peer broke the protocol and how.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/fake_relay.sh"

fake_relay_start close-malformed
export HYCO_CONNECTION_STRING="Endpoint=sb://127.0.0.1:$FAKE_PORT/;SharedAccessKeyName=root;SharedAccessKey=c2VjcmV0;UseDevelopmentEmulator=true;EntityPath=bad"
# Its input stays open, so the relay's frame is what ends the connection.
mkfifo "$T/in"
sleep 60 >"$T/in" &
sleeper=$!
on_exit "kill $sleeper 2>/dev/null; wait $sleeper 2>/dev/null"
rc=0
timeout 20 hyco-send <"$T/in" >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "hyco-send: exit $rc after a malformed Close (want 1): $(cat "$T/err")"
[ "$(wc -l <"$T/err")" = 1 ] || fail "want one line on stderr: $(cat "$T/err")"
grep -q '^hyco-send: error: .*the peer broke the WebSocket protocol: malformed Close frame$' "$T/err" \
    || fail "stderr: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "stdout carried data: $(od -c "$T/out" | head -n 3)"
for ((i = 0; i < 50; i++)); do
    grep -q '^peer-close' "$T/fake-close-malformed.port" && break
    sleep 0.1
done
grep -qx 'peer-close 1002' "$T/fake-close-malformed.port" \
    || fail "the relay saw: $(tail -n +2 "$T/fake-close-malformed.port")"
pass "a malformed Close from the relay: Close 1002 back, exit 1, one line naming the violation"
