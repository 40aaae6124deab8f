#!/usr/bin/env bash
# Verbose output of hyco-listen, hyco-send and hyco-pipe never shows the key
# or a token's signature.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
KEY=$(printf '%s' "$HYCO_CONNECTION_STRING" | sed -E 's/.*SharedAccessKey=([^;]+).*/\1/')
[ -n "$KEY" ] || fail "no key in the relay's connection string"
export HYCO_CONNECTION_STRING=$(entity_cs secrets)

listen_start l -vv --once -e cat </dev/null
echo hello | timeout 20 hyco-send -vv >"$HYCO_TEST_TMP/send.out" 2>"$HYCO_TEST_TMP/send.err" || fail "hyco-send exit $?"
grep -qx hello "$HYCO_TEST_TMP/send.out" || fail "no echo: $(cat "$HYCO_TEST_TMP/send.out")"
wait_exit "$LISTEN_PID" 20 || fail "listener did not exit"
echo x | timeout 20 hyco-pipe -v - relay-connect:nobody >/dev/null 2>"$HYCO_TEST_TMP/pipe.err" || true

for f in l.err send.err pipe.err; do
    [ -s "$HYCO_TEST_TMP/$f" ] || fail "$f is empty: verbose mode said nothing"
    ! grep -qF -- "$KEY" "$HYCO_TEST_TMP/$f" || fail "the key appears in $f"
    # A signature is 43 base64 characters plus '=', percent-encoded or not.
    ! grep -qE 'sig(=|%3D)[A-Za-z0-9%+/]{20,}' "$HYCO_TEST_TMP/$f" || fail "a token signature appears in $f: $(grep -oE 'sig(=|%3D)[^&]*' "$HYCO_TEST_TMP/$f" | head -1)"
done
grep -q "connecting to ws://" "$HYCO_TEST_TMP/send.err" || fail "hyco-send -vv did not log its connection"
grep -q "connecting to ws://" "$HYCO_TEST_TMP/l.err" || fail "hyco-listen -vv did not log its connection"
echo "ok: no key or signature in verbose output"
