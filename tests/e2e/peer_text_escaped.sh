#!/usr/bin/env bash
# Text that came from the network is printed with its control characters
# escaped, so a peer cannot recolour, retitle or forge lines on the user's
# terminal: a Close reason (hyco-send, a listener's control channel, with
# and without --json), a reason phrase with C1 and non-UTF-8 bytes, the fields
# of an `accept`, and a rejection description logged by listener and relay.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/fake_relay.sh"

fake_cs() { printf 'Endpoint=sb://127.0.0.1:%s/;SharedAccessKeyName=root;SharedAccessKey=c2VjcmV0;UseDevelopmentEmulator=true;EntityPath=evil' "$FAKE_PORT"; }
# shown NAME FILE: the Close reason is in FILE, escaped, and forged no line.
shown() {
    no_raw_controls "$2" "$1"
    grep -qF 'red\x07\r\nFAKE-LINE \x1B]0;title\x07 end' "$2" || fail "$1: the reason is not shown escaped: $(cat "$2")"
    if grep -q '^FAKE-LINE' "$2"; then fail "$1: the peer forged a line"; fi
}
# background NAME PATTERN CMD...: runs CMD until PATTERN shows on its stderr.
background() {
    local name=$1 pattern=$2 pid
    shift 2
    : >"$T/$name.err"
    "$@" </dev/null >/dev/null 2>"$T/$name.err" &
    pid=$!
    on_exit "hyco_stop_pid $pid"
    wait_for "$T/$name.err" "$pattern" 15 || fail "$name: no '$pattern': $(cat "$T/$name.err")"
    hyco_stop_pid "$pid"
}

# A peer that answers the upgrade and closes with 1011 and an evil reason.
fake_relay_start close-evil
export HYCO_CONNECTION_STRING=$(fake_cs)
# Its input stays open, so the peer's Close comes first whatever the timing.
mkfifo "$T/in"
sleep 60 >"$T/in" &
sleeper=$!
on_exit "kill $sleeper 2>/dev/null; wait $sleeper 2>/dev/null"
rc=0
timeout 20 hyco-send <"$T/in" >/dev/null 2>"$T/send.err" || rc=$?
[ "$rc" != 0 ] || fail "hyco-send: exit 0 after Close 1011"
shown hyco-send "$T/send.err"
# relay-connect: the same close policy (issue 8, item 3): 1011 is an error,
# whether its input is still open or has ended.
for input in open ended; do
    rc=0
    if [ "$input" = open ]; then
        timeout 20 hyco-pipe - relay-connect: <"$T/in" >/dev/null 2>"$T/connect.err" || rc=$?
    else
        printf 'hi' | timeout 20 hyco-pipe - relay-connect: >/dev/null 2>"$T/connect.err" || rc=$?
    fi
    [ "$rc" = 1 ] || fail "hyco-pipe relay-connect (input $input): exit $rc after Close 1011: $(cat "$T/connect.err")"
    # With its input ended, our own Close may cross the peer's 1011 first.
    grep -Eq '^hyco-pipe: error: relay-connect:: the peer (closed the connection|answered our Close) with code 1011: ' \
        "$T/connect.err" ||
        fail "hyco-pipe relay-connect (input $input): $(cat "$T/connect.err")"
    shown "hyco-pipe relay-connect (input $input)" "$T/connect.err"
done
background listen 'offline' hyco-listen -v
shown hyco-listen "$T/listen.err"
background relay-listen 'offline' hyco-pipe relay-listen: mirror:
shown relay-listen "$T/relay-listen.err"
background json '"offline"' hyco-listen --json
no_raw_controls "$T/json.err" "hyco-listen --json"
grep -qF 'red\\x07\\r\\nFAKE-LINE' "$T/json.err" || fail "hyco-listen --json: $(cat "$T/json.err")"
pass "Close reasons are escaped"

# A refusal whose reason phrase holds an 8-bit CSI, a C1 CSI and a non-UTF-8 byte.
fake_relay_start refuse-evil
export HYCO_CONNECTION_STRING=$(fake_cs)
rc=0
printf 'hi\n' | timeout 20 hyco-send >/dev/null 2>"$T/refused.err" || rc=$?
[ "$rc" = 6 ] || fail "refused: exit $rc, expected 6: $(cat "$T/refused.err")"
no_raw_controls "$T/refused.err" refused
grep -qF '\x9B31m csi \xC2\x9B2J \xFF end' "$T/refused.err" || fail "refused: $(cat "$T/refused.err")"
rc=0
timeout 20 hyco-listen --json </dev/null 2>"$T/refused-json.err" || rc=$?
[ "$rc" = 3 ] || fail "listener refused: exit $rc, expected 3: $(cat "$T/refused-json.err")"
no_raw_controls "$T/refused-json.err" "refused listener"
pass "reason phrases are escaped"

# An accept whose id and remote address hold escapes; its rendezvous closes with the evil reason.
fake_relay_start accept-evil
export HYCO_CONNECTION_STRING=$(fake_cs)
background accept 'FAKE-LINE' hyco-listen -v
no_raw_controls "$T/accept.err" accept
grep -qF 'from \x1B]0;pwned\x07\r\n127.0.0.1:1' "$T/accept.err" || fail "accept: $(cat "$T/accept.err")"
grep -qF 'id-\x1B[2J-\x07' "$T/accept.err" || fail "accept id: $(cat "$T/accept.err")"
pass "control-message fields are escaped"

# A listener's rejection description, as the listener and the relay log it.
relay_start -v
export HYCO_CONNECTION_STRING=$(entity_cs evil)
listen_start l --reject "403 $(printf '\e[31mred\a\rX')"
rc=0
printf 'hi\n' | timeout 20 hyco-send >/dev/null 2>"$T/rejected.err" || rc=$?
[ "$rc" = 6 ] || fail "rejected: exit $rc, expected 6: $(cat "$T/rejected.err")"
wait_for "$HYCO_RELAY_LOG" 'rejected by the listener' 10 || fail "the relay did not log the rejection"
hyco_stop_pid "$LISTEN_PID"
for f in "$T/rejected.err" "$T/l.err" "$HYCO_RELAY_LOG"; do no_raw_controls "$f" "$(basename "$f")"; done
grep -qF 'with 403 \x1B[31mred\x07\rX' "$T/l.err" || fail "listener log: $(cat "$T/l.err")"
grep -qF 'rejected by the listener: 403 \x1B[31mred\x07\rX' "$HYCO_RELAY_LOG" || fail "relay log: $(cat "$HYCO_RELAY_LOG")"
pass "rejection descriptions are escaped"
