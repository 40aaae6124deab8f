#!/usr/bin/env bash
# Token checks on the listen and connect upgrades, each with its status and
# a reason phrase naming the failed check.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start --rule root::manage --rule sendonly:SendOnlyKey0123456789:send
WS_TOOL="$HYCO_INTEROP_DIR/relay/ws_tool.js"
probe() { timeout 20 node "$WS_TOOL" probe "$@"; }
expect() {  # expected-prefix actual what
    case "$2" in "$1"*) echo "ok: $3: $2" ;; *) fail "$3: expected '$1...', got '$2'" ;; esac
}
expect "open" "$(probe listen auth)" "valid listen token"
expect "status 401 InvalidSignature: The token has an invalid signature." \
    "$(probe listen auth key=WrongKey0123456789)" "bad signature"
expect "status 401 InvalidSignature: no shared access rule named" \
    "$(probe listen auth keyName=nosuchrule)" "unknown rule"
expect "status 401 ExpiredToken: The token expired" "$(probe listen auth seconds=-30)" "expired token"
expect "status 401 InvalidAudience: The token's audience" "$(probe listen auth audience=other)" "wrong audience"
expect "status 401 MissingToken" "$(probe listen auth token=none)" "no token"
expect "status 403 Unauthorized: rule 'sendonly' does not grant the Listen right" \
    "$(probe listen auth keyName=sendonly key=SendOnlyKey0123456789)" "Send-only token used to listen"
expect "status 401 ExpiredToken" "$(probe connect auth seconds=-30 token=query)" "expired token in sb-hc-token"
expect "status 401 InvalidSignature" "$(probe connect auth key=WrongKey0123456789)" "sender bad signature"
# An audience naming a parent path covers the entity below it.
expect "open" "$(probe listen auth/sub audience=auth)" "parent-path audience"
echo ok
