#!/usr/bin/env bash
# Many forwards in one hyco-pipe (--config FILE, --forward): three forwards
# carry data at once on one event loop (a local echo, a command, and a
# relay round trip whose both ends are forwards of the same process), each
# log line names its forward, a forward that cannot start or whose session
# fails leaves the others serving, and a bad config line exits 2 naming
# FILE:LINE.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start

# A port taken by another process: that forward cannot start.
busy_log="$T/busy.err"
hyco-pipe -v tcp-listen:127.0.0.1:0 mirror: 2>"$busy_log" &
on_exit "hyco_stop_pid $!"
for ((i = 0; i < 100; i++)); do grep -q "listening on" "$busy_log" && break; sleep 0.1; done
busy=$(sed -nE 's/.*listening on [^ ]*:([0-9]+) .*/\1/p' "$busy_log" | head -n 1)
[ -n "$busy" ] || fail "no busy port: $(cat "$busy_log")"
# Refuses connections for the whole test: a port merely free now could be
# handed to one of the forwards below by its own bind to port 0.
refuse_port
closed=$REFUSED_PORT

cat >"$T/forwards.conf" <<CONF
# three forwards and a broken one
[echo]  tcp-listen:127.0.0.1:0 mirror:       # a local echo
[hash]  tcp-listen:127.0.0.1:0 'exec:sha256sum | cut -c1-64'
[back]  relay-listen:multi mirror:
[front] tcp-listen:127.0.0.1:0 relay-connect:multi
[busy]  tcp-listen:127.0.0.1:$busy mirror:
[dead]  tcp-listen:127.0.0.1:0 tcp:127.0.0.1:$closed
CONF
hyco-pipe -v --config "$T/forwards.conf" 2>"$T/multi.err" &
multi_pid=$!
on_exit "hyco_stop_pid $multi_pid"
port_of() { sed -nE "s/^hyco-pipe: \\[$1\\] listening on [^ ]*:([0-9]+) .*/\\1/p" "$T/multi.err" | head -n 1; }
for ((i = 0; i < 100; i++)); do
    [ -n "$(port_of echo)" ] && [ -n "$(port_of hash)" ] && [ -n "$(port_of front)" ] &&
        grep -q '^hyco-pipe: \[back\] listening on' "$T/multi.err" && break
    kill -0 "$multi_pid" || fail "hyco-pipe --config died: $(cat "$T/multi.err")"
    sleep 0.1
done
echo_port=$(port_of echo)
hash_port=$(port_of hash)
front_port=$(port_of front)
dead_port=$(port_of dead)
[ -n "$echo_port" ] && [ -n "$hash_port" ] && [ -n "$front_port" ] && [ -n "$dead_port" ] ||
    fail "forwards not listening: $(cat "$T/multi.err")"
grep -q "^hyco-pipe: \[busy\] cannot start: .*$busy" "$T/multi.err" || fail "no line for the busy port: $(cat "$T/multi.err")"
pass "a forward that cannot start is named, the others listen"

# All three at once, 20 MiB each.
head -c 20971520 /dev/urandom >"$T/data"
want=$(sha "$T/data")
(hyco-pipe - "tcp:127.0.0.1:$echo_port" <"$T/data" >"$T/echo.out") &
p1=$!
(hyco-pipe - "tcp:127.0.0.1:$hash_port" <"$T/data" >"$T/hash.out") &
p2=$!
(hyco-pipe - "tcp:127.0.0.1:$front_port" <"$T/data" >"$T/front.out") &
p3=$!
wait "$p1" || fail "echo forward failed"
wait "$p2" || fail "hash forward failed"
wait "$p3" || fail "relay forward failed"
[ "$(sha "$T/echo.out")" = "$want" ] || fail "echo forward changed the data"
[ "$(cat "$T/hash.out")" = "$want" ] || fail "hash forward: $(cat "$T/hash.out")"
[ "$(sha "$T/front.out")" = "$want" ] || fail "relay forward changed the data"
pass "three forwards carry 20 MiB each at once"

# One forward's failing session is logged with its name; the others go on.
echo again >"$T/again.in"
timeout 20 hyco-pipe - "tcp:127.0.0.1:$dead_port" <"$T/again.in" >/dev/null 2>&1 || true
for ((i = 0; i < 50; i++)); do grep -q '^hyco-pipe: \[dead\] #1 failed: .*Connection refused' "$T/multi.err" && break; sleep 0.1; done
grep -q '^hyco-pipe: \[dead\] #1 failed: .*Connection refused' "$T/multi.err" || fail "no [dead] line: $(cat "$T/multi.err")"
timeout 20 hyco-pipe - "tcp:127.0.0.1:$echo_port" <"$T/again.in" >"$T/again" || fail "echo after a failure"
[ "$(cat "$T/again")" = again ] || fail "echo after a failure: $(cat "$T/again")"
grep -q '^hyco-pipe: \[echo\] #1 accepted from' "$T/multi.err" || fail "no [echo] line: $(cat "$T/multi.err")"
kill -0 "$multi_pid" || fail "hyco-pipe --config died"
pass "a failing session is logged as [dead], the other forwards keep serving"

# --forward, repeatable, with the same naming.
hyco-pipe -v -f '[a] tcp-listen:127.0.0.1:0 mirror:' -f 'tcp-listen:127.0.0.1:0 literal:two' 2>"$T/f.err" &
f_pid=$!
on_exit "hyco_stop_pid $f_pid"
for ((i = 0; i < 100; i++)); do [ "$(grep -c 'listening on' "$T/f.err")" = 2 ] && break; sleep 0.1; done
p=$(sed -nE 's/^hyco-pipe: \[2\] listening on [^ ]*:([0-9]+) .*/\1/p' "$T/f.err")
[ -n "$p" ] || fail "--forward: $(cat "$T/f.err")"
[ "$(timeout 20 hyco-pipe -u "tcp:127.0.0.1:$p" - </dev/null)" = two ] || fail "the second --forward"
grep -q '^hyco-pipe: \[a\] listening on' "$T/f.err" || fail "no [a]: $(cat "$T/f.err")"
pass "--forward twice: two forwards, named [a] and [2]"

# Bad configurations: exit 2 and FILE:LINE.
printf '# ok\n[x] tcp-listen:0 mirror:\n[y] tcpx:1 mirror:\n' >"$T/bad1.conf"
expect_status 2 hyco-pipe --config "$T/bad1.conf"
expect_err "hyco-pipe: error: $T/bad1.conf:3: address 'tcpx:1': unknown address type 'tcpx'"
printf '[x] tcp-listen:0 exec:sh -i\n' >"$T/bad2.conf"
expect_status 2 hyco-pipe --config "$T/bad2.conf"
expect_err "$T/bad2.conf:1: expected [NAME] ADDRESS1 ADDRESS2, found 3 addresses"
printf '[x] tcp-listen:0 mirror:\n\n[x] tcp-listen:0 mirror:\n' >"$T/bad3.conf"
expect_status 2 hyco-pipe --config "$T/bad3.conf"
expect_err "$T/bad3.conf:3: the name 'x' is taken by $T/bad3.conf:1"
printf 'tcp:127.0.0.1:1 mirror:\n' >"$T/bad4.conf"
expect_status 2 hyco-pipe --config "$T/bad4.conf"
expect_err "$T/bad4.conf:1: neither address listens"
printf "tcp-listen:0 'exec:cat\n" >"$T/bad5.conf"
expect_status 2 hyco-pipe --config "$T/bad5.conf"
expect_err "$T/bad5.conf:1: unterminated ' quote"
expect_status 2 hyco-pipe --config "$T/missing.conf"
expect_err "$T/missing.conf: cannot read the file"
expect_status 2 hyco-pipe -f 'tcp-listen:0 mirror:' tcp-listen:0 mirror:
expect_err "not both"
pass "bad configurations exit 2 naming the file and line"
