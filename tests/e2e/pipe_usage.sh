# hyco-pipe refuses malformed addresses and impossible combinations with
# exit 2 and a one-line message naming the address, before opening anything.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

bad() { # WHY ADDRESS...: exit 2, stderr names the problem, stdout empty
    local why=$1
    shift
    expect_status 2 hyco-pipe "$@"
    expect_err "hyco-pipe: error: "
    expect_err "$why"
    expect_no_stdout
    [ "$(wc -l < "$T/err")" -le 2 ] || fail "more than a short message for $*: $(cat "$T/err")"
}

bad "address 'tcp:localhost': expected HOST:PORT" tcp:localhost mirror:
bad "address 'tcp:h:99999': port 99999 is out of range" mirror: tcp:h:99999
bad "address 'nope:1': unknown address type 'nope'" nope:1 mirror:
bad "for a TCP port write tcp:localhost:80" localhost:80 mirror:
bad "address 'exec:': missing command" exec: mirror:
bad "address 'unix:': missing socket path" unix: -
bad "at most one address can listen" tcp-listen:1 unix-listen:"$T/s"
bad "stdio can be used only once" - stdio
bad "-u and -U" -u -U mirror: literal:x
bad "invalid duration" -t soon mirror: literal:x
bad "no relay given" relay-connect:x mirror:
bad "address 'relay-listen:': no Hybrid Connection named" -n 127.0.0.1:1 --emulator relay-listen: mirror:
bad "address 'relay-listen:a/../b'" relay-listen:a/../b mirror:
HYCO_CONNECTION_STRING= bad "ADDRESS2 is required" mirror:
pass "malformed addresses and combinations are usage errors"
