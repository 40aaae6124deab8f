#!/usr/bin/env bash
# hyco-relay against hostile or broken peers: a Ping flood that is never
# read does not grow its memory, a listener's interim (1xx) answer becomes
# 502 instead of hanging the sender, rendezvous traffic in the -v log is
# redacted, a request body that never arrives is answered 408, and a sender
# that never reads its answers does not stall the listener for the others.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start --verbose --http-timeout 2s
for e in flood interim secret stall shared; do
    tok=$(hyco-token create -x "$HYCO_CONNECTION_STRING;EntityPath=$e")
    timeout 60 python3 "$HYCO_SOURCE_DIR/tests/lib/relay_hostile.py" \
        "$(case $e in flood) echo ping-flood ;; interim) echo status-1xx ;; secret) echo redaction ;; stall) echo body-stall ;; shared) echo shared-channel ;; esac)" \
        127.0.0.1 "$HYCO_RELAY_PORT" "$HYCO_RELAY_PID" "$tok" "$HYCO_RELAY_LOG" || fail "case $e"
done
kill -0 "$HYCO_RELAY_PID" || fail "the relay died"
