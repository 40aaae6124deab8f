# Shared helpers for scenario tests: a private temp dir removed on exit, and
# assertions that print what was expected and what happened.
# Usage: . "$HYCO_SOURCE_DIR/tests/lib/common.sh"
set -u
TEST_NAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/hyco-$TEST_NAME.XXXXXX")
_hyco_cleanups=()
# Runs registered cleanups (kill processes, ...) then removes $T.
_hyco_exit() {
    local rc=$? c
    for c in "${_hyco_cleanups[@]}"; do eval "$c" || true; done
    rm -rf "$T"
    exit "$rc"
}
trap _hyco_exit EXIT
trap 'exit 130' INT TERM
on_exit() { _hyco_cleanups+=("$1"); }

fail() { echo "FAIL [$TEST_NAME]: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

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
