#!/usr/bin/env bash
# --accept-cmd decides per sender from its metadata: a sender without the
# right header is rejected with the hook's 403 and reason, which hyco-send
# prints before exiting 6; the right header is accepted.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs guarded)

listen_start l --exec cat \
    --accept-cmd '[ "$HYCO_HEADER_X_TEAM" = blue ] || { echo "403 not on the guest list"; exit 1; }' </dev/null
rc=0
timeout 20 hyco-send -m hello 2>"$HYCO_TEST_TMP/err" >"$HYCO_TEST_TMP/out" || rc=$?
[ "$rc" = 6 ] || fail "expected exit 6, got $rc: $(cat "$HYCO_TEST_TMP/err")"
grep -q '403 not on the guest list' "$HYCO_TEST_TMP/err" || fail "no status/reason: $(cat "$HYCO_TEST_TMP/err")"
[ "$(wc -l <"$HYCO_TEST_TMP/err")" = 1 ] || fail "expected one line: $(cat "$HYCO_TEST_TMP/err")"
[ ! -s "$HYCO_TEST_TMP/out" ] || fail "stdout not empty"

out=$(timeout 20 hyco-send -H 'X-Team: blue' -m hello) || fail "accepted sender exit $?"
[ "$out" = hello ] || fail "echo: '$out'"
echo ok
