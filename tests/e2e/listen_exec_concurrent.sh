#!/usr/bin/env bash
# --exec: 20 senders at once, each served by its own child (which sees the
# connection's metadata in its environment); all get their own answer.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs exec)

listen_start l --max-connections 20 \
    --exec 'read -r line; sleep 1; echo "$line from $HYCO_PATH via $HYCO_HEADER_X_CLIENT"' </dev/null
pids=()
for i in $(seq 1 20); do
    timeout 30 hyco-send --suffix "s$i" -H "X-Client: c$i" -m "msg$i" >"$HYCO_TEST_TMP/out$i" 2>"$HYCO_TEST_TMP/err$i" &
    pids+=($!)
done
for i in $(seq 1 20); do
    rc=0
    wait "${pids[$((i - 1))]}" || rc=$?
    [ "$rc" = 0 ] || fail "sender $i exit $rc: $(cat "$HYCO_TEST_TMP/err$i")"
    [ "$(cat "$HYCO_TEST_TMP/out$i")" = "msg$i from s$i via c$i" ] ||
        fail "sender $i got '$(cat "$HYCO_TEST_TMP/out$i")' $(cat "$HYCO_TEST_TMP/err$i"); listener: $(tail -n 8 "$HYCO_TEST_TMP/l.err")"
done
# All 20 children ran at the same time: the listener accepted them all.
[ "$(grep -c 'accepted' "$HYCO_TEST_TMP/l.err")" = 20 ] || fail "accepted: $(grep -c accepted "$HYCO_TEST_TMP/l.err")"
echo ok
