#!/usr/bin/env bash
# --max-connections (issue 9): with a small descriptor limit the default cap
# is the limit minus 64; idle connections up to it are held, the next ones
# get 503 with Retry-After (or are closed before their handshake) instead of
# lws retrying accept() in a busy loop on EMFILE, the relay stays responsive
# and logs the overload once, not per connection.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
command -v python3 >/dev/null || { echo "skipped: no python3" >&2; exit 77; }
ulimit -Sn 256  # the relay inherits it; the Python client raises its own
relay_start --status-public
grep -q 'at most 192 connections' "$HYCO_RELAY_LOG" || fail "cap not derived from ulimit -n 256: $(head -n 3 "$HYCO_RELAY_LOG")"
timeout 120 python3 "$HYCO_SOURCE_DIR/tests/lib/relay_overload.py" connections "$HYCO_RELAY_PORT" "$HYCO_RELAY_PID" \
    "$HYCO_CONNECTION_STRING" 192 || fail "overload scenario"
n=$(wc -l <"$HYCO_RELAY_LOG")
[ "$n" -lt 20 ] || fail "the relay logged $n lines under overload: $(sort "$HYCO_RELAY_LOG" | uniq -c | sort -rn | head -n 3)"
grep -q 'the --max-connections limit' "$HYCO_RELAY_LOG" || fail "the overload was not logged"
grep -q 'accepting connections again' "$HYCO_RELAY_LOG" || fail "the end of the overload was not logged"
pass "overload logged once ($n log lines)"

# An explicit cap beyond the descriptor limit is a usage error naming it.
expect_status 2 hyco-relay --max-connections 100000
expect_err "ulimit -n 256"
echo ok
