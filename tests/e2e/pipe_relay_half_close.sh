# Half-close through the relay: a TCP client that shuts down its write side
# (socat at end of input) still gets the whole reply of a command that
# answers only after reading EOF: tcp-listen -> relay-connect -> hyco-relay
# -> relay-listen -> exec. Byte-exact, with a request and a reply larger
# than the socket buffers, and with an empty request. Failed while the
# WebSocket client (lws's ws role) hung up on the peer's Close.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
relay_start

head -c 3000000 /dev/urandom >"$T/request"
head -c 2000000 /dev/urandom >"$T/reply"
# The reply names what arrived (so a cut request shows), then the payload;
# nothing is written before the command's input ended.
pipe_server remote relay-listen:hc "exec:sha256sum | cut -c1-64; cat '$T/reply'"
pipe_server local tcp-listen:127.0.0.1:0 relay-connect:hc
{ sha "$T/request"; cat "$T/reply"; } >"$T/want"

timeout 60 socat -t 30 - tcp:127.0.0.1:$PIPE_PORT <"$T/request" >"$T/got" || fail "socat exit $?"
cmp -s "$T/want" "$T/got" || fail "reply after half-close: $(head -c 64 "$T/got" | od -c | head -n 2), $(wc -c <"$T/got") bytes"
pass "3 MB request, half-close, 2 MB reply after EOF: byte-exact"

{ sha /dev/null; cat "$T/reply"; } >"$T/want0"
timeout 60 socat -t 30 - tcp:127.0.0.1:$PIPE_PORT </dev/null >"$T/got0" || fail "socat (empty request) exit $?"
cmp -s "$T/want0" "$T/got0" || fail "reply to an empty request: $(wc -c <"$T/got0") bytes"
pass "empty request, half-close, reply after EOF: byte-exact"

# The same from the other end: python shuts down its write side after a
# small request and reads until the server closes.
out=$(timeout 60 python3 - "$PIPE_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"request")
s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
print(got[:64].decode(), len(got))
PY
) || fail "python client exit $?"
want="$(printf request | sha256sum | cut -c1-64) $((64 + 1 + 2000000))"
[ "$out" = "$want" ] || fail "python client got '$out', want '$want'"
pass "shutdown(SHUT_WR) client gets its reply"
kill -0 "$PIPE_PID" || fail "the local hyco-pipe died"
