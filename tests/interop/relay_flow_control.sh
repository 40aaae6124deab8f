#!/usr/bin/env bash
# A listener that stops reading while the sender writes 48 MiB: the relay
# pushes back instead of queueing (its largest output queue stays under
# 2 MiB), and afterwards every message arrives, complete and in order.
# Then one 64 MiB message, which the relay streams as one frame to a reader
# slower than itself: the relay's peak memory stays far below the frame.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --status-public
R="$HYCO_INTEROP_DIR/relay"
# flow ENTITY MESSAGES BYTES PAUSE_MS: one listener and one sender; every
# message arrives (checked byte for byte); the listener's report in $HYCO_TEST_TMP/ENTITY.
flow() {
    local log="$HYCO_TEST_TMP/$1" out
    node "$R/flow_listener.js" "$1" "$2" "$3" "$4" >"$log" 2>&1 &
    hyco_cleanup_add "hyco_stop_pid $!"
    timeout 10 bash -c "until grep -q listening '$log'; do sleep 0.1; done" || fail "listener offline"
    out=$(timeout 120 node "$R/flow_sender.js" "$1" "$2" "$3") || fail "sender: $out"
    timeout 60 bash -c "until grep -q '^received' '$log'; do sleep 0.2; done" || fail "listener: $(cat "$log")"
    grep -q "^received $2\$" "$log" || fail "listener: $(cat "$log")"
}

flow flow 48 1048576 3000
max=$(sed -n 's/^max queued //p' "$HYCO_TEST_TMP/flow")
[ -n "$max" ] && [ "$max" -gt 0 ] && [ "$max" -lt 2097152 ] || fail "relay queued $max bytes for a paused reader"
echo "ok (largest queue $max bytes)"

flow big 1 67108864 1000
hwm=$(sed -nE 's/^VmHWM:[[:space:]]*([0-9]+) kB/\1/p' "/proc/$HYCO_RELAY_PID/status")
[ -n "$hwm" ] || fail "no VmHWM for the relay"
# AddressSanitizer's quarantine keeps freed memory: the figure would be its.
if ldd "$(command -v hyco-relay)" 2>/dev/null | grep -q libasan; then
    echo "note: sanitizer build, the relay's peak RSS $hwm kB not checked"
else
    # Before the relay dropped what it had written of a streamed frame: 80 MB.
    [ "$hwm" -lt 32768 ] || fail "the relay peaked at $hwm kB for one 64 MiB message"
    echo "ok (one 64 MiB message: the relay's peak RSS $hwm kB)"
fi
