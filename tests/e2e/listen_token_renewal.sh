#!/usr/bin/env bash
# A listener minting 10-second tokens renews them with renewToken on the
# control channel before they expire, so a relay without grace keeps it
# online well past the first token's lifetime.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start --token-grace 0 --verbose
export HYCO_CONNECTION_STRING=$(entity_cs renew)

listen_start l --token-ttl 10s --json --exec cat </dev/null
sleep 14
grep -q '"event":"renewed"' "$HYCO_TEST_TMP/l.err" || fail "no renewal: $(cat "$HYCO_TEST_TMP/l.err")"
grep -q 'offline' "$HYCO_TEST_TMP/l.err" && fail "went offline: $(cat "$HYCO_TEST_TMP/l.err")"
grep -q 'token renewed until' "$HYCO_RELAY_LOG" || fail "relay saw no renewal"
grep -q '1008' "$HYCO_RELAY_LOG" && fail "relay closed a channel for an expired token"
out=$(timeout 20 hyco-send -m still-here) || fail "sender exit $?"
[ "$out" = still-here ] || fail "echo: '$out'"
echo ok
