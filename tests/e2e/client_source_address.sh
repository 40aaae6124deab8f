#!/usr/bin/env bash
# --source-address: hyco-listen's control channel and rendezvous, hyco-send
# and hyco-pipe's relay-connect: all connect from the address given (the
# kernel's table of TCP connections says so, and the relay's accept message
# names the sender's), with the bytes intact; an address of the other
# family, one this host does not have, and anything that is not a literal
# address are one-line errors with distinct exit codes.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
[ -r /proc/net/tcp ] || { echo "skipped: no /proc/net/tcp" >&2; exit 77; }
relay_start -v
export HYCO_CONNECTION_STRING="$HYCO_CONNECTION_STRING;EntityPath=sourced"

# from ADDR: established IPv4 connections from ADDR to the relay's port.
from() {
    local hex_ip hex_port
    hex_ip=$(printf '%02X%02X%02X%02X' $(echo "$1" | tr . ' ' | awk '{print $4, $3, $2, $1}'))
    hex_port=$(printf '%04X' "$HYCO_RELAY_PORT")
    awk -v src="$hex_ip" -v dst=":$hex_port" \
        'NR > 1 && $4 == "01" && substr($2, 1, 8) == src && substr($3, 9) == dst { n++ } END { print n + 0 }' /proc/net/tcp
}

listen_start l --source-address 127.0.0.3 -b --exec cat </dev/null
[ "$(from 127.0.0.3)" = 1 ] || fail "the control channel is not from 127.0.0.3: $(from 127.0.0.3) connections"
[ "$(from 127.0.0.1)" = 0 ] || fail "a connection to the relay is from 127.0.0.1"

# A session held open: the sender from 127.0.0.2, the rendezvous from 127.0.0.3.
mkfifo "$T/in"
hyco-send -b --source-address 127.0.0.2 <"$T/in" >"$T/held.out" 2>"$T/held.err" &
sender=$!
on_exit "hyco_stop_pid $sender"
exec 3>"$T/in"
for ((i = 0; i < 100; i++)); do
    [ "$(from 127.0.0.3)" = 2 ] && [ "$(from 127.0.0.2)" = 1 ] && break
    sleep 0.1
done
[ "$(from 127.0.0.2)" = 1 ] || fail "the sender is not connected from 127.0.0.2: $(cat "$T/held.err")"
[ "$(from 127.0.0.3)" = 2 ] || fail "the rendezvous is not from 127.0.0.3 ($(from 127.0.0.3) connections from it)"
grep -q '"remoteEndpoint":{"address":"127.0.0.2"' "$HYCO_RELAY_LOG" || fail "the relay did not see 127.0.0.2: $(grep accept "$HYCO_RELAY_LOG")"
head -c 300000 /dev/urandom >"$T/data"
cat "$T/data" >&3
exec 3>&-
wait_exit "$sender" 20 || fail "the held sender did not end"
[ "$EXIT_RC" = 0 ] || fail "the held sender exited $EXIT_RC: $(cat "$T/held.err")"
cmp -s "$T/data" "$T/held.out" || fail "bytes differ: $(wc -c <"$T/held.out") of 300000 came back"
pass "listener (control channel and rendezvous) and sender connect from their own addresses; bytes intact"

out=$(echo piped | timeout 20 hyco-pipe --source-address 127.0.0.4 - relay-connect: 2>"$T/pipe.err") ||
    fail "hyco-pipe --source-address: exit $?: $(cat "$T/pipe.err")"
[ "$out" = piped ] || fail "hyco-pipe echo: '$out'"
grep -q '"remoteEndpoint":{"address":"127.0.0.4"' "$HYCO_RELAY_LOG" || fail "the relay did not see hyco-pipe from 127.0.0.4"
pass "hyco-pipe relay-connect: from --source-address"

# Not an address of this host (TEST-NET-1): the reason, exit 1, nothing on stdout.
run timeout 20 hyco-send --source-address 192.0.2.1 -m x
[ "$RC" = 1 ] || fail "a foreign source address: exit $RC, expected 1: $(cat "$T/err")"
expect_err "source address 192.0.2.1: Cannot assign requested address"
expect_no_stdout
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than one line: $(cat "$T/err")"
# The other family: said as such, not as an errno.
run timeout 20 hyco-pipe --source-address '[::1]' - relay-connect:
[ "$RC" = 1 ] || fail "an IPv6 source for an IPv4 relay: exit $RC: $(cat "$T/err")"
expect_err "source address [::1]: it is IPv6 and the destination is IPv4"
pass "an address this host lacks, or of the other family: exit 1 with the reason"

for bad in localhost 127.0.0.1:80 '[127.0.0.1]' 'not an address'; do
    run timeout 20 hyco-send --source-address "$bad" -m x
    [ "$RC" = 2 ] || fail "--source-address '$bad': exit $RC, expected 2 (usage): $(cat "$T/err")"
    expect_err "--source-address '$bad': expected an IPv4 or IPv6 address"
done
run timeout 20 hyco-listen --source-address relay.example --once
[ "$RC" = 2 ] || fail "hyco-listen --source-address relay.example: exit $RC"
pass "names, ports and junk are usage errors (exit 2) before anything connects"

# hyco-probe's TCP step connects from it too, and says why it cannot.
run timeout 20 hyco-probe --source-address 127.0.0.5
[ "$RC" = 0 ] || fail "hyco-probe --source-address 127.0.0.5: exit $RC: $(cat "$T/out" "$T/err")"
run timeout 20 hyco-probe --source-address 192.0.2.1
[ "$RC" != 0 ] || fail "hyco-probe from a foreign address passed"
grep -qF "source address 192.0.2.1: Cannot assign requested address" "$T/out" "$T/err" ||
    fail "hyco-probe does not say why: $(cat "$T/out" "$T/err")"
pass "hyco-probe's TCP step uses the source address"
