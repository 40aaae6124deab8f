#!/usr/bin/env bash
# --reject turns every sender away with the given status and description.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
RELAY_CS=$HYCO_CONNECTION_STRING
export HYCO_CONNECTION_STRING=$(entity_cs maint)

listen_start l --reject '503 down for maintenance' </dev/null
rc=0
echo hi | timeout 20 hyco-send 2>"$HYCO_TEST_TMP/err" || rc=$?
[ "$rc" = 6 ] || fail "expected exit 6, got $rc: $(cat "$HYCO_TEST_TMP/err")"
grep -q '503 down for maintenance' "$HYCO_TEST_TMP/err" || fail "stderr: $(cat "$HYCO_TEST_TMP/err")"
echo ok

# A listener may refuse with a status the relay also uses (401, 404): the
# sender still reports a rejection (6), not an auth failure or a missing entity.
for verdict in '401 members only' '404 nothing here today'; do
    export HYCO_CONNECTION_STRING="$RELAY_CS;EntityPath=maint${verdict%% *}"
    listen_start "l${verdict%% *}" --reject "$verdict" </dev/null
    rc=0
    echo hi | timeout 20 hyco-send 2>"$HYCO_TEST_TMP/err" || rc=$?
    [ "$rc" = 6 ] || fail "'$verdict': expected exit 6, got $rc: $(cat "$HYCO_TEST_TMP/err")"
    grep -qF "$verdict" "$HYCO_TEST_TMP/err" || fail "stderr: $(cat "$HYCO_TEST_TMP/err")"
done
echo "ok: listener statuses 401/404 are rejections"
