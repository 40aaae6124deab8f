#!/usr/bin/env bash
# A listener killed mid-transfer (the relay closes the sender with 1001)
# is an error for a sender whose input was still flowing: exit 1 and a
# reason, never exit 0 with the data silently lost.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
export HYCO_CONNECTION_STRING=$(entity_cs vanish)

listen_start l -b --once </dev/null
lpid=$LISTEN_PID
(
    set +e
    head -c 4000000000 /dev/zero 2>/dev/null | timeout 60 hyco-send -b -v >/dev/null 2>"$T/s.err"
    echo "${PIPESTATUS[1]}" >"$T/rc"
) &
hyco_cleanup_add "pkill -f 'head -c 4000000000' 2>/dev/null || true"
wait_for "$T/s.err" connected 10 || fail "sender did not connect: $(cat "$T/s.err")"
sleep 0.5
kill -9 "$lpid"
wait_for "$T/rc" "[0-9]" 30 || fail "sender did not end: $(cat "$T/s.err")"
[ "$(cat "$T/rc")" = 1 ] || fail "sender exit $(cat "$T/rc") after its listener vanished: $(cat "$T/s.err")"
# The relay may drop the connection right after its Close 1001, before ours:
# then the reason names the lost connection instead of the Close's "went
# away". The listener's own data (none: </dev/null) may have ended
# completely before it died; what is missing is its receipt of ours.
grep -Eq '^hyco-send: error: connection: .*(without its end record: the peer vanished|the peer stopped receiving after [0-9.]+ [KMG]?i?B of our data)' "$T/s.err" ||
    fail "stderr: $(cat "$T/s.err")"
[ "$(grep -c 'error:' "$T/s.err")" = 1 ] || fail "more than one error line: $(cat "$T/s.err")"
pass "a vanished listener is an error for the sender"
