# Shared helpers for scenario tests: a private temp dir, cleanups run on exit
# (last registered first), and assertions that print what was expected and
# what happened. Usage: . "$HYCO_SOURCE_DIR/tests/lib/common.sh"
# Other helpers (relay.sh, client.sh, pipe.sh) build on this one.
[ -n "${_HYCO_COMMON_LOADED:-}" ] && return 0
_HYCO_COMMON_LOADED=1
set -u
TEST_NAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/hyco-$TEST_NAME.XXXXXX")
HYCO_TEST_TMP=$T
_hyco_tmp=$T  # what the exit handler removes, even if a test reuses the name T
_hyco_cleanups=()
_hyco_failed=0  # set by a cleanup that finds a problem (e.g. a relay that did not exit 0)
_hyco_exit() {
    local rc=$? i
    for ((i = ${#_hyco_cleanups[@]} - 1; i >= 0; i--)); do
        eval "${_hyco_cleanups[$i]}" >/dev/null || true
    done
    rm -rf "$_hyco_tmp"
    [ "$rc" = 0 ] && [ "$_hyco_failed" != 0 ] && rc=1
    exit "$rc"
}
trap _hyco_exit EXIT
trap 'exit 130' INT TERM
on_exit() { _hyco_cleanups+=("$1"); }
hyco_cleanup_add() { on_exit "$1"; }

fail() { echo "FAIL [$TEST_NAME]: $*" >&2; exit 1; }

# fake_http_peer MODE: starts tests/lib/fake_http_peer.py (see its modes)
# on a loopback port, stopped on exit; sets FAKE_PORT.
fake_http_peer() {
    : >"$T/fake-$1.port"
    python3 "$HYCO_SOURCE_DIR/tests/lib/fake_http_peer.py" "$1" >"$T/fake-$1.port" &
    local pid=$! i
    on_exit "hyco_stop_pid $pid"
    for ((i = 0; i < 100; i++)); do [ -s "$T/fake-$1.port" ] && break; sleep 0.1; done
    FAKE_PORT=$(head -n 1 "$T/fake-$1.port")
    [ -n "$FAKE_PORT" ] || fail "fake_http_peer.py $1 did not start"
}
pass() { echo "ok: $*"; }

# Stops a process: TERM, then KILL after 5 s. Waits so none is left behind.
# A process that needed the KILL fails the test: our tools must obey TERM.
hyco_stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -KILL "$pid" 2>/dev/null; then
        echo "FAIL [$TEST_NAME]: process $pid ($(cat /proc/$pid/cmdline 2>/dev/null | tr '\0' ' ')) ignored SIGTERM for 5 s" >&2
        _hyco_failed=1
    fi
    wait "$pid" 2>/dev/null || true
}

# run CMD...: runs it with stdout in $T/out, stderr in $T/err, status in $RC.
run() {
    set +e
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}

# expect_status CODE CMD...: runs CMD and checks its exit status.
expect_status() {
    local want=$1
    shift
    run "$@"
    [ "$RC" = "$want" ] || fail "'$*' exited $RC, expected $want; stderr: $(head -c 500 "$T/err")"
}

# expect_err TEXT: the last run's stderr contains TEXT.
expect_err() { grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1'; it was: $(head -c 500 "$T/err")"; }
# expect_out TEXT: the last run's stdout contains TEXT.
expect_out() { grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1'; it was: $(head -c 500 "$T/out")"; }
# expect_no_stdout: the last run printed nothing on stdout.
expect_no_stdout() { [ ! -s "$T/out" ] || fail "stdout should be empty, was: $(head -c 200 "$T/out")"; }
# expect_absent SECRET: the last run printed SECRET nowhere.
expect_absent() {
    ! grep -qF -- "$1" "$T/out" "$T/err" || fail "a secret appeared in the output"
}
