# Every tool: --help exits 0 with examples on stdout, --version works, an
# unknown option is a usage error (2) on stderr.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

bin=$(dirname "$(command -v hyco-token)")
for exe in "$bin"/hyco-*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    t=$(basename "$exe")
    expect_status 0 "$exe" --help
    expect_out "Examples:"
    expect_out "Exit status:"
    [ ! -s "$T/err" ] || fail "$t --help wrote to stderr"
    expect_status 0 "$exe" --version
    expect_out "$t "
    expect_status 2 "$exe" --definitely-not-an-option
    expect_err "$t: error: "
    expect_no_stdout
    expect_status 2 "$exe" --generate nonsense
done
pass "help, version and usage errors"
