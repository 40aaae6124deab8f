# hyco-pipe's azbridge mode against a peer written from Azure Relay Bridge's
# C# sources (azbridge_peer.js), through hyco-relay, both ways:
#   hyco-pipe relay-listen:...,azbridge stands in for `azbridge -R`: the peer's
#   -L side reaches a stream forward and a UDP forward by port name, and
#   wrong versions, unknown names and mode mismatches get azbridge's answers;
#   hyco-pipe relay-connect:...,azbridge stands in for `azbridge -L`: it
#   reaches the peer's -R forwards (TCP and UDP), and a refusal is an error
#   with exit 6 that says why.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
require_node_modules
relay_start
AZ="node $HYCO_SOURCE_DIR/tests/interop/azbridge_peer.js"
PEER="python3 $HYCO_SOURCE_DIR/tests/lib/udp_peer.py"

# node_line FILE TEXT: waits (bounded) for TEXT in a background peer's output.
node_line() {
    timeout 15 bash -c "until grep -q '$2' '$1'; do sleep 0.1; done" || fail "peer: no '$2': $(cat "$1")"
}
# tcp_echo_check PORT SIZE: sends SIZE random bytes and waits for all of them
# back before closing (Node's ws cannot half-close, so no early shutdown).
tcp_echo_check() {
    timeout 60 python3 - "$1" "$2" <<'PY'
import os, socket, sys, threading
port, size = int(sys.argv[1]), int(sys.argv[2])
data = os.urandom(size)
s = socket.create_connection(("127.0.0.1", port), timeout=50)
threading.Thread(target=s.sendall, args=(data,), daemon=True).start()
got = bytearray()
while len(got) < size:
    b = s.recv(65536)
    if not b:
        sys.exit("closed after %d of %d bytes" % (len(got), size))
    got += b
s.close()
sys.exit(0 if bytes(got) == data else "echo differs")
PY
}

$PEER server "$T/srv.port" --timeout 170 &
on_exit "kill $! 2>/dev/null"
for ((i = 0; i < 100; i++)); do [ -s "$T/srv.port" ] && break; sleep 0.1; done
srv=$(cat "$T/srv.port")

# --- hyco-pipe as azbridge -R --------------------------------------------
pipe_server R "relay-listen:bridge,azbridge=echo,forward=dns=udp:127.0.0.1:$srv,forward=up=exec:tr a-z A-Z" mirror:

$AZ forward bridge echo tcp >"$T/fwd_tcp.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
node_line "$T/fwd_tcp.out" port
port=$(sed -n 's/^port //p' "$T/fwd_tcp.out")
tcp_echo_check "$port" 1000000 || fail "azbridge -L -> hyco -R: the echo did not come back intact"
pass "azbridge -L peer to hyco relay-listen,azbridge: 1 MB through the forward 'echo'"

$AZ forward bridge dns udp >"$T/fwd_udp.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
node_line "$T/fwd_udp.out" port
port=$(sed -n 's/^port //p' "$T/fwd_udp.out")
out=$(timeout 20 $PEER dns 127.0.0.1 "$port" hyco.test) || fail "dns via the azbridge peer: $out"
out=$(timeout 90 $PEER flood 127.0.0.1 "$port" --count 2000 --window 32 --timeout 80) || fail "flood: $out"
[ "$out" = "ok 2000" ] || fail "flood said: $out"
pass "azbridge -L peer (datagram mode, length-prefixed) to a hyco udp forward: DNS and 2000 datagrams"

probe() { timeout 30 $AZ probe bridge "$1"; }
hexname() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
[ "$(probe "01000004$(hexname nope)")" = "reply -" ] || fail "an unknown port name was not closed without a word"
[ "$(probe "020000")" = "reply 000000" ] || fail "version 2.0 did not get 0.0.0"
[ "$(probe "01000103$(hexname dns)" | head -n1)" = "reply 010001" ] || fail "datagram mode for 'dns' was not accepted"
[ "$(probe "01000003$(hexname dns)")" = "reply 000001" ] || fail "a stream for the udp forward did not get 0.0.1"
[ "$(probe "01000104$(hexname echo)")" = "reply 0000ff" ] || fail "datagrams for a stream forward did not get 0.0.255"
grep -q "azbridge sender refused for port name 'nope': no forward has that name" "$T/R.err" ||
    fail "the refusal was not logged: $(cat "$T/R.err")"
pass "hyco relay-listen,azbridge answers as azbridge does: closed, 0.0.0, 0.0.1, 0.0.255"

# azbridge's rule: a listener with one forward takes any numeric port name.
pipe_server R1 relay-listen:single,azbridge=echo mirror:
out=$(timeout 30 $AZ probe single "01000004$(hexname 8888)")
[ "$out" = "reply 010000" ] || fail "one forward did not take the numeric name 8888: $out"
pass "one forward takes any numeric port name"

# hyco on both sides: the preamble inside hyco's end-record stream, half-close kept.
head -c 1000000 /dev/urandom >"$T/in"
timeout 60 hyco-pipe - relay-connect:bridge,azbridge=up <"$T/in" >"$T/got" || fail "hyco -L to hyco -R exited $?"
[ "$(sha "$T/got")" = "$(tr a-z A-Z <"$T/in" | sha256sum | cut -d' ' -f1)" ] || fail "the 'up' forward changed the bytes wrongly"
pass "hyco relay-connect,azbridge to hyco relay-listen,azbridge: exit 0, 1 MB through 'up'"

# --- hyco-pipe as azbridge -L --------------------------------------------
pipe_server echo tcp-listen:0 mirror:
echo_port=$PIPE_PORT
$AZ listen remote "db=tcp:127.0.0.1:$echo_port" "dns=udp:127.0.0.1:$srv" >"$T/rl.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
node_line "$T/rl.out" listening

pipe_server L tcp-listen:0 relay-connect:remote,azbridge=db
tcp_echo_check "$PIPE_PORT" 1000000 || fail "hyco -L -> azbridge -R: the echo did not come back intact"
grep -q "accepted db" "$T/rl.out" || fail "the peer saw no preamble for 'db': $(cat "$T/rl.out")"
pass "hyco tcp-listen -> relay-connect,azbridge=db reaches the azbridge -R peer: 1 MB echoed"

pipe_server LU udp-listen:0 relay-connect:remote,azbridge=dns
out=$(timeout 20 $PEER dns 127.0.0.1 "$PIPE_PORT" hyco.test) || fail "dns via hyco -L: $out"
out=$(timeout 90 $PEER flood 127.0.0.1 "$PIPE_PORT" --count 2000 --window 32 --timeout 80) || fail "flood: $out"
[ "$out" = "ok 2000" ] || fail "flood said: $out"
pass "hyco udp-listen -> relay-connect,azbridge=dns (datagram mode) reaches the peer's udp forward"

expect_status 6 hyco-pipe - relay-connect:remote,azbridge=nope </dev/null
expect_err "azbridge listener refused port name 'nope' (no such forward"
expect_no_stdout
expect_status 6 hyco-pipe - relay-connect:remote,azbridge=dns </dev/null
expect_err "azbridge listener refused port name 'dns' (it is a UDP forward there"
expect_no_stdout
pass "refusals by the azbridge -R peer: exit 6 and the reason, nothing on stdout"

pipe_server LX udp-listen:0 relay-connect:remote,azbridge=db
timeout 5 $PEER dns 127.0.0.1 "$PIPE_PORT" x.test >/dev/null 2>&1 || true
for ((i = 0; i < 100; i++)); do grep -q "#1 failed" "$T/LX.err" && break; sleep 0.1; done
grep -q "refused port name 'db' (it is a stream forward there, and this is a datagram flow)" "$T/LX.err" ||
    fail "a datagram flow to a stream forward was not refused with the reason: $(cat "$T/LX.err")"
pass "a datagram flow for the peer's stream forward: refused with the reason"

# azbridge's default port name: the local port.
$AZ listen only "x=tcp:127.0.0.1:$echo_port" >"$T/only.out" 2>&1 &
on_exit "kill $! 2>/dev/null"
node_line "$T/only.out" listening
lp=$(free_port)
pipe_server LD tcp-listen:$lp relay-connect:only,azbridge
tcp_echo_check "$lp" 10000 || fail "default port name: no echo"
grep -q "accepted $lp" "$T/only.out" || fail "the preamble did not name port $lp: $(cat "$T/only.out")"
pass "relay-connect,azbridge names the local port by default, as azbridge -L does"
