#!/usr/bin/env bash
# SIGTERM (and SIGINT) close every connection and exit 130 (the exit table's
# "interrupted", as for every hyco tool) without an "error:" line; SIGUSR1
# prints the status report to stderr; GET /$relay/status lists open
# connections.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start --status-public
# An idle client holding a half-sent request stays open until shutdown.
exec 3<>"/dev/tcp/127.0.0.1/$HYCO_RELAY_PORT"
printf 'GET /x HTTP/1.1\r\n' >&3
status=$(timeout 5 curl -s "http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status")
[[ "$status" == *'"kind":"http"'* ]] || fail "status lacks the open connection: $status"
kill -USR1 "$HYCO_RELAY_PID"
timeout 5 bash -c "until grep -q 'status: {' '$HYCO_RELAY_LOG'; do sleep 0.1; done" || fail "no SIGUSR1 report"
kill -TERM "$HYCO_RELAY_PID"
rc=0
timeout 10 bash -c "while kill -0 $HYCO_RELAY_PID 2>/dev/null; do sleep 0.1; done" || fail "relay did not exit"
wait "$HYCO_RELAY_PID" || rc=$?
[ "$rc" = 130 ] || fail "exit status $rc after SIGTERM, expected 130"
grep -q "SIGTERM received" "$HYCO_RELAY_LOG" || fail "no shutdown log"
grep -q "error:" "$HYCO_RELAY_LOG" && fail "a clean stop printed an error: $(grep error: "$HYCO_RELAY_LOG")"
# The held connection was closed by the relay.
timeout 5 cat <&3 >/dev/null || fail "client connection not closed"

relay_start
kill -INT "$HYCO_RELAY_PID"
rc=0
wait "$HYCO_RELAY_PID" || rc=$?
[ "$rc" = 130 ] || fail "SIGINT exit status $rc, expected 130"
grep -q "error:" "$HYCO_RELAY_LOG" && fail "Ctrl-C printed an error: $(grep error: "$HYCO_RELAY_LOG")"
echo ok
