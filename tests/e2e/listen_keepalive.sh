#!/usr/bin/env bash
# Control-channel keep-alive, both frames. A relay with --idle-timeout 3s
# drops channels that stay silent; listeners that send a Ping or an
# unsolicited Pong every second stay online and keep serving, while one
# whose keep-alive is a minute apart is dropped (1001) and reconnects.
# hyco-pipe's relay-listen: takes the same options.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
relay_start --idle-timeout 3s --verbose
CS=$HYCO_CONNECTION_STRING

HYCO_CONNECTION_STRING=$(entity_cs ka-ping) listen_start ping --keepalive 1s --json --exec cat </dev/null
HYCO_CONNECTION_STRING=$(entity_cs ka-pong) \
    listen_start pong --keepalive 1s --keepalive-frame pong --ping-timeout 1s --json --exec cat </dev/null
HYCO_CONNECTION_STRING=$(entity_cs ka-quiet) listen_start quiet --keepalive 60s --json --exec cat </dev/null
HYCO_CONNECTION_STRING=$CS pipe_server pipe relay-listen:ka-pipe mirror: --keepalive 1s --keepalive-frame pong

# The quiet listener is dropped after 3 s and comes back; give it two rounds.
wait_for "$HYCO_TEST_TMP/quiet.err" '"event":"offline"' 15 || fail "quiet listener never dropped: $(cat "$HYCO_TEST_TMP/quiet.err")"
grep -q 'listener ka-quiet .*nothing received for 3s; closing with 1001' "$HYCO_RELAY_LOG" ||
    fail "relay log lacks the idle close: $(cat "$HYCO_RELAY_LOG")"
for ((i = 0; i < 150; i++)); do
    [ "$(grep -c '"event":"online"' "$HYCO_TEST_TMP/quiet.err")" -ge 2 ] && break
    sleep 0.1
done
[ "$(grep -c '"event":"online"' "$HYCO_TEST_TMP/quiet.err")" -ge 2 ] || fail "quiet listener not back: $(cat "$HYCO_TEST_TMP/quiet.err")"
sleep 3
pass "a silent control channel is dropped and re-established"

for name in ping pong; do
    grep -q '"event":"offline"' "$HYCO_TEST_TMP/$name.err" && fail "$name listener went offline: $(cat "$HYCO_TEST_TMP/$name.err")"
    grep -q "listener ka-$name .*closing" "$HYCO_RELAY_LOG" && fail "relay closed the $name listener: $(cat "$HYCO_RELAY_LOG")"
    out=$(HYCO_CONNECTION_STRING=$(entity_cs "ka-$name") timeout 20 hyco-send -m "via $name") || fail "send via $name: exit $?"
    [ "$out" = "via $name" ] || fail "echo via $name: '$out'"
done
grep -q 'reconnecting' "$T/pipe.err" && fail "hyco-pipe relay-listen lost its channel: $(cat "$T/pipe.err")"
out=$(HYCO_CONNECTION_STRING=$(entity_cs ka-pipe) timeout 20 hyco-send -m "via pipe") || fail "send via pipe: exit $?"
[ "$out" = "via pipe" ] || fail "echo via pipe: '$out'"
pass "Ping and unsolicited Pong keep-alives keep the channels online"

# Bad values are usage errors.
expect_status 2 hyco-listen --keepalive-frame nop -x "$(entity_cs x)"
expect_err "--keepalive-frame"
expect_status 2 hyco-listen --keepalive 100ms -x "$(entity_cs x)"
expect_err "--keepalive 100ms: must be at least 1s"
expect_status 2 hyco-relay --idle-timeout soon
expect_err "invalid --idle-timeout"
pass "bad keep-alive options are usage errors"
