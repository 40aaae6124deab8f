# The committed man pages and completions are exactly what the binaries'
# option tables generate; every man page has EXAMPLES and EXIT STATUS.
set -euo pipefail
. "$HYCO_SOURCE_DIR/tests/lib/common.sh"

bin=$(dirname "$(command -v hyco-token)")
HYCO_BIN=$bin bash "$HYCO_SOURCE_DIR/scripts/gen-docs.sh" --check "$HYCO_SOURCE_DIR" ||
    fail "generated docs are stale"
for exe in "$bin"/hyco-*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    t=$(basename "$exe")
    page=$HYCO_SOURCE_DIR/man/$t.1
    [ -f "$page" ] || fail "no man page for $t"
    for section in EXAMPLES "EXIT STATUS" OPTIONS; do
        grep -q "^\.SH $section" "$page" || fail "$t.1 lacks $section"
    done
    # The man page lists exactly the exit statuses --help lists for this tool.
    help_codes=$("$exe" --help | sed -n 's/^Exit status: //p' | grep -oE '(^|, )[0-9]+' | tr -dc '0-9\n' | sort -n | tr '\n' ' ')
    man_codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /s/^\.B \([0-9]*\)$/\1/p' "$page" | sort -n | tr '\n' ' ')
    [ -n "$help_codes" ] && [ "$help_codes" = "$man_codes" ] || fail "$t: --help lists exit statuses '$help_codes', the man page '$man_codes'"
    for code in 0 1 2; do
        grep -q "^\.B $code\$" "$page" || fail "$t.1 lacks exit status $code"
    done
    # Every long option the binary's --help shows is in the man page and completions.
    for opt in $("$exe" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        grep -qF -- "${opt//-/\\-}" "$page" || fail "$t.1 lacks $opt"
        grep -qF -- "$opt" "$HYCO_SOURCE_DIR/completions/bash/$t" || fail "bash completion of $t lacks $opt"
    done
    bash -n "$HYCO_SOURCE_DIR/completions/bash/$t" || fail "bash completion of $t does not parse"
    if command -v zsh >/dev/null; then zsh -n "$HYCO_SOURCE_DIR/completions/zsh/_$t" || fail "zsh completion of $t"; fi
    if command -v fish >/dev/null; then fish -n "$HYCO_SOURCE_DIR/completions/fish/$t.fish" || fail "fish completion of $t"; fi
    man -l "$page" > /dev/null 2>&1 || [ ! -x /usr/bin/man ] || fail "man cannot render $t.1"
done
pass "docs are fresh"
