# hyco-pipe without a relay: stdio, exec, mirror and literal move the same
# bytes out as in, and failures give a one-line reason and a non-zero exit.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"
. "$HYCO_SOURCE_DIR/tests/lib/pipe.sh"

head -c 5000000 /dev/urandom >"$T/in"
want=$(sha "$T/in")

timeout 30 hyco-pipe - mirror: <"$T/in" >"$T/got" || fail "stdio <-> mirror exited $?"
[ "$(sha "$T/got")" = "$want" ] || fail "mirror changed the bytes"
timeout 30 hyco-pipe - 'exec:cat' <"$T/in" >"$T/got" || fail "stdio <-> exec:cat exited $?"
[ "$(sha "$T/got")" = "$want" ] || fail "exec:cat changed the bytes"
# The command sees end of input (half-close) and still answers.
got=$(timeout 30 hyco-pipe - 'exec:sha256sum' <"$T/in" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "exec:sha256sum saw other bytes"
# From a pipe, not a file: the tail of a pipe must not be lost.
got=$(cat "$T/in" | timeout 30 hyco-pipe - 'exec:sha256sum' | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "piped stdin lost bytes"
pass "stdio, exec and mirror are byte-exact"

[ "$(timeout 10 hyco-pipe literal:hello -)" = hello ] || fail "literal"
[ "$(timeout 10 hyco-pipe -u literal:abc 'exec:tr a-z A-Z')" = "" ] || fail "-u wrote backwards"
[ "$(timeout 10 hyco-pipe -U - literal:xyz </dev/null)" = xyz ] || fail "-U"
pass "literal and one-way modes"

expect_status 1 timeout 10 hyco-pipe - 'exec:exit 3' </dev/null
expect_err "hyco-pipe: error: exec:exit 3: exited with status 3"
port=$(free_port)
expect_status 1 timeout 10 hyco-pipe literal:x tcp:127.0.0.1:$port
expect_err "hyco-pipe: error: connect to 127.0.0.1:$port: Connection refused"
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than one line: $(cat "$T/err")"
# A command that exits early: its output is delivered, then the session ends.
[ "$(timeout 10 hyco-pipe - 'exec:head -c 3' <"$T/in" | wc -c)" = 3 ] || fail "early exit"
pass "failures exit non-zero with one line"
