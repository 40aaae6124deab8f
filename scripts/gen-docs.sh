#!/usr/bin/env bash
# Regenerates man/*.1 and completions/{bash,zsh,fish}/* from the built tools'
# option tables. Usage: HYCO_BIN=build/tools scripts/gen-docs.sh [SOURCE_DIR]
# With --check, writes nothing and exits 1 if any committed file is stale.
set -euo pipefail
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${HYCO_BIN:-$src/build/tools}
stale=0
emit() { # tool kind dest
    local tmp
    tmp=$(mktemp)
    "$bin/$1" --generate "$2" > "$tmp"
    if [ "$check" = 1 ]; then
        if ! cmp -s "$tmp" "$3"; then
            echo "stale: ${3#"$src"/} (regenerate with: cmake --build build --target docs)" >&2
            stale=1
        fi
        rm -f "$tmp"
    else
        mkdir -p "$(dirname "$3")"
        mv "$tmp" "$3"
    fi
}
found=0
for exe in "$bin"/hyco-*; do
    [ -x "$exe" ] && [ -f "$exe" ] || continue
    case "$exe" in *_unit_tests|*.a) continue ;; esac
    t=$(basename "$exe")
    found=1
    emit "$t" man "$src/man/$t.1"
    emit "$t" bash "$src/completions/bash/$t"
    emit "$t" zsh "$src/completions/zsh/_$t"
    emit "$t" fish "$src/completions/fish/$t.fish"
done
[ "$found" = 1 ] || { echo "no hyco-* tools in $bin" >&2; exit 2; }
exit "$stale"
