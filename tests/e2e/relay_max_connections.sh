#!/usr/bin/env bash
# --max-connections (issue 9): with a small descriptor limit the default cap
# is the limit minus 64 (at most 4096); a larger cap raises the soft limit
# up to the hard one; idle connections up to it are held, the next ones
# get 503 with Retry-After (or are closed before their handshake) instead of
# lws retrying accept() in a busy loop on EMFILE, the relay stays responsive
# and logs the overload once, not per connection.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
command -v python3 >/dev/null || { echo "skipped: no python3" >&2; exit 77; }
# lws's errors and warnings in the relay's log: an accept() busy loop on
# EMFILE would then show as thousands of lines.
export HYCO_RELAY_LWS_LOG=3

# overload NOFILE CAP: a relay under ulimit -n NOFILE (the Python client
# raises its own) caps connections at CAP and survives idle connections
# filling it and a burst beyond it, with the overload logged once.
overload() {
    local nofile=$1 cap=$2 n
    shift 2
    ulimit -Sn "$nofile"
    relay_start --status-public "$@"
    grep -q "at most $cap connections" "$HYCO_RELAY_LOG" ||
        fail "cap under ulimit -n $nofile: $(head -n 3 "$HYCO_RELAY_LOG")"
    timeout 120 python3 "$HYCO_SOURCE_DIR/tests/lib/relay_overload.py" connections "$HYCO_RELAY_PORT" \
        "$HYCO_RELAY_PID" "$HYCO_CONNECTION_STRING" "$cap" || fail "overload scenario under ulimit -n $nofile"
    n=$(wc -l <"$HYCO_RELAY_LOG")
    [ "$n" -lt 20 ] ||
        fail "the relay logged $n lines under ulimit -n $nofile: $(sort "$HYCO_RELAY_LOG" | uniq -c | sort -rn | head -n 3)"
    grep -q 'the --max-connections limit' "$HYCO_RELAY_LOG" || fail "the overload was not logged"
    grep -q 'accepting connections again' "$HYCO_RELAY_LOG" || fail "the end of the overload was not logged"
    pass "ulimit -n $nofile: overload logged once ($n log lines)"
}

overload 256 192
# A cap the soft limit does not allow raises it (the hard limit permitting):
# the relay holds 300 connections under ulimit -Sn 256.
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 400 ]; then
    overload 256 300 --max-connections 300
    soft=$(awk '/^Max open files/ { print $4 }' "/proc/$HYCO_RELAY_PID/limits")
    [ "$soft" = 364 ] || fail "the soft descriptor limit of a relay with --max-connections 300 is $soft, not 300 + 64"
    ulimit -Sn 256
fi

# At the cap, a listener's rendezvous is turned away: the sender held for it
# hears 503 at once and why, instead of waiting out its upgrade timeout and
# being told only that no upgrade came. The control channel and the sender
# are the two connections --max-connections 2 allows.
relay_start --max-connections 2
HYCO_CONNECTION_STRING=$(entity_cs busy) listen_start busy -e cat </dev/null
HYCO_CONNECTION_STRING=$(entity_cs busy) expect_status 1 timeout 60 hyco-send -m hi
expect_err "503"
expect_err "could not reach this connection's rendezvous"
wait_for "$HYCO_TEST_TMP/busy.err" "503" 10 || fail "the listener did not report its turned-away rendezvous: $(cat "$HYCO_TEST_TMP/busy.err")"
kill -0 "$LISTEN_PID" || fail "the listener exited after a turned-away rendezvous"
pass "a turned-away rendezvous fails its sender with 503 at once"
hyco_stop_pid "$LISTEN_PID"
# A listener's rejection at the cap is still delivered: it needs no connection
# of its own, and the sender must hear the listener's status, not "retry later".
HYCO_CONNECTION_STRING=$(entity_cs busy) listen_start busy --reject '403 closed for maintenance' </dev/null
HYCO_CONNECTION_STRING=$(entity_cs busy) run timeout 60 hyco-send -m hi
[ "$RC" != 0 ] || fail "a rejected sender exited 0"
expect_err "403"
expect_err "closed for maintenance"
grep -q "ServerBusy" "$T/err" && fail "the rejection became 503: $(cat "$T/err")"
pass "a listener's rejection at the cap reaches its sender"

# An explicit cap beyond the hard descriptor limit is a usage error naming it.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then over=1000001; else over=$((hard < 1000064 ? hard - 63 : 1000001)); fi
expect_status 2 hyco-relay --max-connections "$over"
expect_err "ulimit -Hn $hard"

# A small limit leaves room for fewer 503 answers than the usual 32: the cap
# (8) plus 32 answers plus the relay's own descriptors would exceed 48.
overload 48 8
ulimit -Sn 39
expect_status 1 hyco-relay --port 0
expect_err "ulimit -n 39) is too small"
echo ok
