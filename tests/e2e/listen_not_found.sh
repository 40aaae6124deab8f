#!/usr/bin/env bash
# A listener for an entity the relay does not have (declared-only mode)
# stops at once with exit status 4 instead of retrying for ever.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start --declared-only --entity known
rc=0
timeout 20 hyco-listen -x "$(entity_cs unknown)" </dev/null 2>"$HYCO_TEST_TMP/err" || rc=$?
[ "$rc" = 4 ] || fail "expected exit 4, got $rc: $(cat "$HYCO_TEST_TMP/err")"
grep -q '^hyco-listen: error: .*404' "$HYCO_TEST_TMP/err" || fail "stderr: $(cat "$HYCO_TEST_TMP/err")"
echo ok
