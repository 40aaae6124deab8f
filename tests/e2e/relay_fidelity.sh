#!/usr/bin/env bash
# The fidelity choices of issue 9, with raw peers (tests/lib/relay_fidelity.py):
# audience against entity + suffix, case-insensitive entity names, a prompt
# 502 when the listener dies after an accept, a sensible 400 for a reject
# without status, Transfer-Encoding refused in HTTP/1.0, and Authorization
# never forwarded to listeners.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
command -v python3 >/dev/null || { echo "skipped: no python3" >&2; exit 77; }
relay_start -v
for c in audience-suffix entity-case listener-gone reject-nostatus te-http10 no-authorization; do
    timeout 60 python3 "$HYCO_SOURCE_DIR/tests/lib/relay_fidelity.py" "$c" "$HYCO_RELAY_PORT" \
        "$HYCO_CONNECTION_STRING" || fail "case $c"
done
echo ok
