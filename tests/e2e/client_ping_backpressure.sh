#!/usr/bin/env bash
# Ping-based dead-peer detection must not kill a healthy connection whose
# own consumer is slow: while reading is paused for backpressure no Pong
# can be read, so no ping timeout may run. 50 MB to a reader that starts
# 4 s late, with a 2 s ping timeout, arrive whole.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs pb)

listen_start l -b --once -e 'head -c 50000000 /dev/zero' </dev/null
rc=0
timeout 60 hyco-send -b --ping-interval 1s --ping-timeout 2s --no-close </dev/null 2>"$T/err" |
    (sleep 4; wc -c >"$T/count") || rc=$?
[ "$(cat "$T/count")" = 50000000 ] || fail "received $(cat "$T/count") of 50000000 bytes: $(cat "$T/err")"
grep -q 'ping timeout' "$T/err" && fail "a ping timeout while paused: $(cat "$T/err")"
pass "a paused reader is not taken for a dead peer"
