#!/usr/bin/env bash
# NUL mode: a NUL byte ends each message (newlines are data), and the
# receiver writes a NUL after each message.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs nul)

listen_start l -0 --once --max-messages 3 </dev/null
printf 'a\nb\0second\0third' | timeout 20 hyco-send -0 || fail "hyco-send exit $?"
wait_exit "$LISTEN_PID" 10 || fail "listener did not exit"
printf 'a\nb\0second\0third' >"$HYCO_TEST_TMP/expected"  # exact bytes between hyco peers
cmp "$HYCO_TEST_TMP/expected" "$HYCO_TEST_TMP/l.out" || fail "got: $(od -c "$HYCO_TEST_TMP/l.out" | head)"
echo ok
