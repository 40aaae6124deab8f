#!/usr/bin/env bash
# The remote command's status is the sender's, as ssh does it (issue 8):
# hyco-send against hyco-listen -e CMD exits with CMD's status after every
# byte went through, 128+N with "was killed by signal N (NAME)" when a
# signal killed CMD, 0 for a command that succeeded; hyco-pipe's exec:
# carries the status to a hyco-pipe relay-connect the same way.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/relay.sh"
. "$HYCO_SOURCE_DIR/tests/lib/client.sh"
relay_start
BASE_CS=$HYCO_CONNECTION_STRING
head -c 3000000 /dev/urandom >"$T/in"

# one_error TEXT: the last run printed exactly one error line, containing TEXT.
one_error() {
    expect_err "$1"
    [ "$(grep -c 'error:' "$T/err")" = 1 ] || fail "expected one error line, got: $(cat "$T/err")"
}

# remote_status NAME CMD WANT_STATUS [ERROR_TEXT]: hyco-send -b sends the
# input to hyco-listen -b --once -e CMD and must exit WANT_STATUS.
remote_status() {
    local name=$1 cmd=$2 want=$3 text=${4:-}
    export HYCO_CONNECTION_STRING="$BASE_CS;EntityPath=$name"
    listen_start "$name" -b --once -e "$cmd" </dev/null
    expect_status "$want" timeout 30 hyco-send -b --no-progress <"$T/in"
    if [ -n "$text" ]; then one_error "$text"; else [ ! -s "$T/err" ] || fail "$name: stderr: $(cat "$T/err")"; fi
    wait_exit "$LISTEN_PID" 20 || fail "$name: the listener did not exit after --once"
}

remote_status st0 "cat >'$T/st0.got'; exit 0" 0
[ "$(sha "$T/st0.got")" = "$(sha "$T/in")" ] || fail "the command got $(wc -c <"$T/st0.got") bytes, different"
pass "a command that succeeds: exit 0, every byte arrived"

remote_status st3 'cat >/dev/null; exit 3' 3 'hyco-send: error: the remote command: exited with status 3'
pass "a command that exits 3 after reading everything: the sender exits 3"

remote_status term 'cat >/dev/null; kill -TERM $$' 143 \
    'hyco-send: error: the remote command: was killed by signal 15 (TERM)'
pass "a command killed by SIGTERM: 143 and the signal's name"

remote_status kill9 'cat >/dev/null; kill -KILL $$' 137 \
    'hyco-send: error: the remote command: was killed by signal 9 (KILL)'
pass "a command killed by SIGKILL: 137"

# The status wins over a command that did not read all of its input: the
# sender learns why its data was not taken.
remote_status early 'head -c 10 >/dev/null; exit 5' 5 'hyco-send: error: the remote command: exited with status 5'
pass "a command that exits 5 without reading everything: the sender exits 5"

# hyco-pipe: exec: carries its command's status to relay-connect.
pipe_status() {
    local name=$1 cmd=$2 want=$3 text=$4
    export HYCO_CONNECTION_STRING=$BASE_CS
    : >"$T/$name.err"
    hyco-pipe -1 "relay-listen:$name" "exec:$cmd" </dev/null >"$T/$name.out" 2>"$T/$name.err" &
    local lp=$!
    hyco_cleanup_add "hyco_stop_pid $lp"
    wait_for "$HYCO_RELAY_LOG" "listener $name #[0-9]* ([^)]*): online" 10 ||
        fail "hyco-pipe relay-listen:$name is not online: $(cat "$T/$name.err")"
    expect_status "$want" timeout 30 hyco-pipe - "relay-connect:$name" <"$T/in"
    one_error "$text"
    wait_exit "$lp" 20 || fail "$name: hyco-pipe -1 relay-listen did not exit"
}
relay_start --verbose  # its log says when a listener is online
BASE_CS=$HYCO_CONNECTION_STRING
pipe_status pipe4 'cat >/dev/null; exit 4' 4 'the remote command: exited with status 4'
pass "hyco-pipe exec: exiting 4: hyco-pipe relay-connect exits 4"
pipe_status pipe4now 'exit 4' 4 'the remote command: exited with status 4'
pass "hyco-pipe 'exec:exit 4' (input unread): hyco-pipe relay-connect exits 4"
pipe_status pipesig 'cat >/dev/null; kill -TERM $$' 143 'the remote command: was killed by signal 15 (TERM)'
pass "hyco-pipe exec: killed by SIGTERM: 143"
