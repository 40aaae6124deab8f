#!/usr/bin/env bash
# Bad input gets a clear HTTP error and a close, never a crash or a hang:
# garbage, oversized heads, bad upgrades, unknown actions, CONNECT.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start --status-public
exec 9>&-
# Sends raw bytes and prints the status line of the answer.
raw() {
    timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$HYCO_RELAY_PORT"'; printf "%b" "$1" >&3; head -n1 <&3 | tr -d "\r"' _ "$1"
}
expect() { case "$2" in "$1"*) echo "ok: $3" ;; *) fail "$3: expected '$1', got '$2'" ;; esac; }
upg='Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
expect "HTTP/1.1 400 BadRequest: malformed request line" "$(raw 'garbage\r\n\r\n')" "garbage"
expect "HTTP/1.1 505" "$(raw 'GET / HTTP/2.0\r\n\r\n')" "HTTP/2.0"
expect "HTTP/1.1 431" "$(raw "GET /x HTTP/1.1\r\nX: $(head -c 40000 /dev/zero | tr '\0' a)\r\n\r\n")" "oversized head"
expect "HTTP/1.1 400 BadRequest: obsolete header line folding" "$(raw 'GET /x HTTP/1.1\r\nA: b\r\n c\r\n\r\n')" "folding"
expect "HTTP/1.1 405" "$(raw 'CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n')" "CONNECT"
expect "HTTP/1.1 400 BadRequest: expected a WebSocket upgrade" "$(raw 'GET /$hc/x HTTP/1.1\r\nHost: a\r\n\r\n')" "plain GET on \$hc"
expect "HTTP/1.1 426" "$(raw 'GET /$hc/x HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')" "ws version 8"
expect "HTTP/1.1 400 BadRequest: unknown sb-hc-action 'fly'" "$(raw "GET /\$hc/x?sb-hc-action=fly HTTP/1.1\r\n$upg\r\n")" "unknown action"
expect "HTTP/1.1 400 BadRequest: the rendezvous address has no sb-hc-id" "$(raw "GET /\$hc/x?sb-hc-action=accept HTTP/1.1\r\n$upg\r\n")" "accept without id"
expect "HTTP/1.1 403 Forbidden: the rendezvous address is invalid" "$(raw "GET /\$hc/x?sb-hc-action=accept&sb-hc-id=guess HTTP/1.1\r\n$upg\r\n")" "guessed rendezvous"
expect "HTTP/1.1 401" "$(raw 'POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')" "unauthenticated before framing"
# A client that vanishes mid-head, and one that sends half a frame, leave the relay healthy.
timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$HYCO_RELAY_PORT"'; printf "GET /x HTTP/1.1\r\nHo" >&3' || true
status=$(timeout 5 curl -s "http://127.0.0.1:$HYCO_RELAY_PORT/\$relay/status") || fail "relay unresponsive"
[[ "$status" == *'"entities"'* ]] || fail "status: $status"
kill -0 "$HYCO_RELAY_PID" || fail "relay died"
echo ok
