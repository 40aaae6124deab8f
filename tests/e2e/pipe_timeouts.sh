#!/usr/bin/env bash
# -T ends an idle session with exit 5; -t ends a session once one direction
# has finished and the other stays silent; -X hex-dumps and --textdump
# text-dumps both directions on stderr while stdout carries the data untouched. The commands used here
# would run for 31.5 s if nothing ended them; no process is left behind.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

mkfifo "$T/fifo"
exec 3<>"$T/fifo"  # an input that never ends and never sends
on_exit "exec 3<&-"

expect_status 5 timeout 20 hyco-pipe -T 1s - 'exec:sleep 31.5' <&3
expect_err "hyco-pipe: error: session: no traffic for 1s"
pass "-T: an idle session ends with exit 5"

expect_status 0 timeout 20 bash -c "printf hi | hyco-pipe -t 1s - 'exec:sleep 31.5'"
pass "-t: the session ends after the linger although the command still runs"
for _ in $(seq 50); do pgrep -f 'sleep 31.5' >/dev/null || break; sleep 0.1; done
! pgrep -f 'sleep 31.5' >/dev/null || fail "the exec: command was left running"

printf 'AB\n' >"$T/in"
expect_status 0 timeout 20 hyco-pipe -X - mirror: <"$T/in"
cmp -s "$T/out" "$T/in" || fail "stdout changed under -X: $(od -c "$T/out" | head -3)"
expect_err "41 42 0a"
[ "$(grep -c '41 42 0a' "$T/err")" = 2 ] || fail "expected a dump of each direction: $(cat "$T/err")"
pass "-X dumps both directions on stderr only"

expect_status 0 timeout 20 hyco-pipe --textdump - mirror: <"$T/in"
cmp -s "$T/out" "$T/in" || fail "stdout changed under --textdump: $(od -c "$T/out" | head -3)"
[ "$(grep -cx 'AB' "$T/err")" = 2 ] && grep -q '> 3 bytes' "$T/err" && grep -q '< 3 bytes' "$T/err" ||
    fail "expected a text dump of each direction: $(cat "$T/err")"
pass "--textdump shows both directions as text on stderr only"
