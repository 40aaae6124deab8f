#!/usr/bin/env bash
# A listener that never reads its control channel (issue 9): what the relay
# queues toward it is bounded; beyond the bound new senders, WebSocket and
# HTTP, get 503 with Retry-After instead of the relay's memory growing with
# every sender (1,500 senders with ~28 KB headers: about 40 MiB unbounded).
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
command -v python3 >/dev/null || { echo "skipped: no python3" >&2; exit 77; }
# Under AddressSanitizer freed memory sits in a 256 MiB quarantine and would
# count as growth; a small one keeps the measurement about the relay (the
# variable means nothing to a normal build).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1:thread_local_quarantine_size_kb=64"
relay_start --rendezvous-timeout 1s --status-public
timeout 180 python3 "$HYCO_SOURCE_DIR/tests/lib/relay_overload.py" backlog "$HYCO_RELAY_PORT" "$HYCO_RELAY_PID" \
    "$HYCO_CONNECTION_STRING" 0 || fail "backlog scenario"
status=$(timeout 5 curl -sS "http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status") || fail "relay unresponsive"
echo ok
